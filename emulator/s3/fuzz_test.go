package s3

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Fuzz targets for the parsers that see untrusted bytes first. Seed corpora
// live in testdata/fuzz/<FuzzName>/; run one with, for example,
//
//	go test -run '^$' -fuzz '^FuzzAWSChunked$' -fuzztime 2m ./emulator/s3/

// encodeAWSChunked frames payload as aws-chunked with the given chunk size
// and trailers, as the SDKs do.
func encodeAWSChunked(payload []byte, chunkSize int, trailer http.Header) []byte {
	var b bytes.Buffer
	for len(payload) > 0 {
		n := min(chunkSize, len(payload))
		b.WriteString(strconv.FormatInt(int64(n), 16))
		b.WriteString(";chunk-signature=00\r\n")
		b.Write(payload[:n])
		b.WriteString("\r\n")
		payload = payload[n:]
	}
	b.WriteString("0\r\n")
	for name, values := range trailer {
		for _, v := range values {
			b.WriteString(name + ":" + v + "\r\n")
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// FuzzAWSChunked feeds arbitrary bodies to the aws-chunked decoder through
// readSegments, as PutObject does. It must never panic or loop, never
// produce more payload than it was given, fail only with its own sentinel
// errors, and whatever it accepts must survive re-encoding unchanged.
func FuzzAWSChunked(f *testing.F) {
	f.Add([]byte("5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("3;chunk-signature=ab\r\nabc\r\n0;chunk-signature=cd\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"))
	f.Add([]byte("0\r\n"))
	f.Add([]byte("ffffffffffffffff\r\n"))
	f.Add([]byte("2\r\nabc\r\n0\r\n\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		dec := newAWSChunkedReader(bytes.NewReader(body))
		data, size, err := readSegments(dec, -1, int64(len(body))+1, func([]byte) {})
		if size > int64(len(body)) {
			t.Fatalf("decoded %d bytes from a %d-byte body", size, len(body))
		}
		if err != nil {
			if !errors.Is(err, errChunkFraming) && !errors.Is(err, errChunkTrailer) && !errors.Is(err, errChunkUnexpectEOF) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		payload := bytes.Join(data, nil)
		if int64(len(payload)) != size {
			t.Fatalf("segments hold %d bytes, size says %d", len(payload), size)
		}
		trailer := dec.Trailer()
		for name := range trailer {
			if strings.ContainsAny(name, ":\r\n") {
				// Not representable in a trailer line: nothing to re-encode.
				return
			}
		}
		again := newAWSChunkedReader(bytes.NewReader(encodeAWSChunked(payload, 7, trailer)))
		got, err := io.ReadAll(again)
		if err != nil {
			t.Fatalf("re-encoded body rejected: %v", err)
		}
		if !bytes.Equal(got, payload) {
			t.Fatalf("round trip changed the payload: %q -> %q", payload, got)
		}
		for name, values := range trailer {
			if g := again.Trailer()[name]; strings.Join(g, "\x00") != strings.Join(values, "\x00") {
				t.Fatalf("trailer %q: %q -> %q", name, values, g)
			}
		}
	})
}

// FuzzParseAddress checks bucket/key extraction for both addressing
// styles: arbitrary host and path never panic and never give a key without
// a bucket; any bucket and key, escaped the way the SDKs escape them, come
// back exactly, path style and virtual-host style.
func FuzzParseAddress(f *testing.F) {
	f.Add("localhost:4566", "bucket", "dir/key.txt")
	f.Add("mybucket.s3.localhost.localstack.cloud:4566", "", "a b+c/ü")
	f.Add("a.s3.b.s3.eu-west-1.localhost.localstack.cloud", "x", "%2F")
	f.Add("MyBucket.LOCALHOST.", "b", "")
	f.Add("[::1]:4566", "b%2Fc", "//k")
	f.Fuzz(func(t *testing.T, host, bucket, key string) {
		// Robustness on raw input.
		if u, err := url.ParseRequestURI("/" + bucket + "/" + key); err == nil {
			b, k, aerr := parseAddress(&http.Request{URL: u, Host: host})
			if aerr == nil && b == "" && k != "" {
				t.Fatalf("key %q without bucket from host %q path %q", k, host, u.EscapedPath())
			}
			if vb, ok := bucketFromHost(host); ok && aerr == nil && b != vb {
				t.Fatalf("virtual-host bucket %q, parsed %q", vb, b)
			}
		}
		if vb, ok := bucketFromHost(host); ok && vb == "" {
			t.Fatalf("empty virtual-host bucket from %q", host)
		}

		// Round trip, path style.
		if bucket == "" {
			return
		}
		u, err := url.ParseRequestURI("/" + url.PathEscape(bucket) + "/" + url.PathEscape(key))
		if err != nil {
			t.Fatalf("escaped path does not parse: %v", err)
		}
		b, k, aerr := parseAddress(&http.Request{URL: u, Host: "localhost:4566"})
		if aerr != nil || b != bucket || k != key {
			t.Fatalf("path style: (%q, %q) -> (%q, %q, %v)", bucket, key, b, k, aerr)
		}
		// Round trip, virtual-host style, for names S3 allows.
		if !validBucketName(bucket) {
			return
		}
		for _, h := range []string{bucket + ".s3.localhost.localstack.cloud:4566", bucket + ".s3.us-east-1.localhost.localstack.cloud", bucket + ".localhost"} {
			u, _ := url.ParseRequestURI("/" + url.PathEscape(key))
			b, k, aerr := parseAddress(&http.Request{URL: u, Host: h})
			if aerr != nil || b != bucket || k != key {
				t.Fatalf("virtual host %q: key %q -> (%q, %q, %v)", h, key, b, k, aerr)
			}
		}
	})
}

// FuzzParseRange checks the Range header parser: no panic, every accepted
// range lies inside the object, rejections are InvalidRange, and a plain
// "bytes=a-b" within the object is served exactly.
func FuzzParseRange(f *testing.F) {
	f.Add("bytes=0-0", int64(1))
	f.Add("bytes=-5", int64(3))
	f.Add("bytes=10-", int64(10))
	f.Add("bytes=5-2", int64(10))
	f.Add("bytes=0-1,3-4", int64(10))
	f.Add("bytes= 9223372036854775807-", int64(9223372036854775807))
	f.Add("bytes=-0", int64(0))
	f.Fuzz(func(t *testing.T, spec string, size int64) {
		if size < 0 {
			return
		}
		rng, partial, aerr := parseRange(spec, size)
		if aerr != nil {
			if aerr.code != ErrInvalidRange || partial {
				t.Fatalf("parseRange(%q, %d) = %v partial=%v", spec, size, aerr, partial)
			}
			return
		}
		if partial && (rng.start < 0 || rng.start > rng.end || rng.end >= size || rng.length() < 1) {
			t.Fatalf("parseRange(%q, %d) = %+v outside the object", spec, size, rng)
		}
		// Exactness on the canonical form.
		if a, b, ok := strings.Cut(strings.TrimPrefix(spec, "bytes="), "-"); ok && strings.HasPrefix(spec, "bytes=") {
			start, err1 := strconv.ParseInt(a, 10, 64)
			end, err2 := strconv.ParseInt(b, 10, 64)
			if err1 == nil && err2 == nil && strconv.FormatInt(start, 10) == a && strconv.FormatInt(end, 10) == b &&
				0 <= start && start <= end && end < size {
				if !partial || rng.start != start || rng.end != end {
					t.Fatalf("parseRange(%q, %d) = %+v partial=%v, want %d-%d", spec, size, rng, partial, start, end)
				}
			}
		}
	})
}

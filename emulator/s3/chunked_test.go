package s3_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// chunk frames data as one aws-chunked chunk, with an optional signature
// extension.
func chunk(data, sig string) string {
	ext := ""
	if sig != "" {
		ext = ";chunk-signature=" + sig
	}
	return fmt.Sprintf("%x%s\r\n%s\r\n", len(data), ext, data)
}

func TestAWSChunkedUnsignedTrailer(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "chunky")

	payload := "hello chunked world, across three chunks"
	parts := []string{payload[:6], payload[6:20], payload[20:]}
	framed := ""
	for _, p := range parts {
		framed += chunk(p, "")
	}
	framed += "0\r\nx-amz-checksum-crc32:" + crc32B64([]byte(payload)) + "\r\n\r\n"

	hdr := map[string]string{
		"Content-Encoding":             "aws-chunked",
		"Content-Type":                 "text/plain",
		"x-amz-content-sha256":         "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
		"x-amz-decoded-content-length": strconv.Itoa(len(payload)),
		"x-amz-trailer":                "x-amz-checksum-crc32",
		"x-amz-sdk-checksum-algorithm": "CRC32",
	}
	res := e.do(t, http.MethodPut, "/chunky/doc.txt", []byte(framed), hdr)
	if res.status != http.StatusOK {
		t.Fatalf("aws-chunked PUT: %d %s", res.status, res.body)
	}
	if got := res.header.Get("ETag"); got != md5ETag([]byte(payload)) {
		t.Errorf("ETag = %s, want MD5 of the decoded payload %s", got, md5ETag([]byte(payload)))
	}

	out, err := e.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String("chunky"), Key: aws.String("doc.txt"), ChecksumMode: types.ChecksumModeEnabled,
	})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	defer out.Body.Close()
	if got := mustGetBody(t, e, "chunky", "doc.txt"); string(got) != payload {
		t.Errorf("stored body = %q, want %q (framing must be removed)", got, payload)
	}
	if aws.ToInt64(out.ContentLength) != int64(len(payload)) {
		t.Errorf("ContentLength = %d, want %d", aws.ToInt64(out.ContentLength), len(payload))
	}
	if out.ContentEncoding != nil {
		t.Errorf("ContentEncoding = %q, want none (aws-chunked is transport only)", *out.ContentEncoding)
	}
	if got := aws.ToString(out.ChecksumCRC32); got != crc32B64([]byte(payload)) {
		t.Errorf("trailer checksum not stored: ChecksumCRC32 = %q", got)
	}

	// A trailer checksum that does not match is rejected and nothing stored.
	bad := chunk("tampered", "") + "0\r\nx-amz-checksum-crc32:" + crc32B64([]byte("original")) + "\r\n\r\n"
	hdr["x-amz-decoded-content-length"] = "8"
	wantError(t, e.do(t, http.MethodPut, "/chunky/bad.txt", []byte(bad), hdr), 400, "BadDigest")

	// A trailer announced but never sent.
	noTrailer := chunk("tampered", "") + "0\r\n\r\n"
	wantError(t, e.do(t, http.MethodPut, "/chunky/bad.txt", []byte(noTrailer), hdr), 400, "MalformedTrailerError")

	// A body cut off before the final chunk.
	wantError(t, e.do(t, http.MethodPut, "/chunky/bad.txt", []byte(chunk("tampered", "")), hdr), 400, "IncompleteBody")

	// A chunk size larger than its data.
	wantError(t, e.do(t, http.MethodPut, "/chunky/bad.txt", []byte("10\r\ntampered\r\n0\r\n\r\n"), hdr), 400, "IncompleteBody")

	// Decoded length disagreeing with the payload.
	hdr["x-amz-decoded-content-length"] = "99"
	wantError(t, e.do(t, http.MethodPut, "/chunky/bad.txt", []byte(chunk("tampered", "")+"0\r\nx-amz-checksum-crc32:"+crc32B64([]byte("tampered"))+"\r\n\r\n"), hdr), 400, "IncompleteBody")

	if res := e.do(t, http.MethodHead, "/chunky/bad.txt", nil, nil); res.status != http.StatusNotFound {
		t.Errorf("a rejected chunked upload was stored: HEAD = %d", res.status)
	}
}

func TestAWSChunkedSigned(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "signed")
	sig := strings.Repeat("ab", 32) // not verified, like LocalStack
	payload := strings.Repeat("z", 70000)
	framed := chunk(payload[:65536], sig) + chunk(payload[65536:], sig) + "0;chunk-signature=" + sig + "\r\n\r\n"
	res := e.do(t, http.MethodPut, "/signed/big.gz", []byte(framed), map[string]string{
		"Content-Encoding":             "aws-chunked,gzip",
		"x-amz-content-sha256":         "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
		"x-amz-decoded-content-length": strconv.Itoa(len(payload)),
	})
	if res.status != http.StatusOK {
		t.Fatalf("signed aws-chunked PUT: %d %s", res.status, res.body)
	}
	get := e.do(t, http.MethodGet, "/signed/big.gz", nil, nil)
	if string(get.body) != payload {
		t.Errorf("stored %d bytes, want the %d-byte payload", len(get.body), len(payload))
	}
	if got := get.header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip (aws-chunked removed, gzip kept)", got)
	}
}

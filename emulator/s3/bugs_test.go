package s3_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// rawHeaderLines sends a request over a bare TCP connection and returns
// the response's header lines exactly as written on the wire: Go's HTTP
// client would canonicalise the names and hide their case.
func rawHeaderLines(t *testing.T, e *env, method, path string) []string {
	t.Helper()
	u, err := url.Parse(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, method+" "+path+" HTTP/1.1\r\nHost: "+u.Host+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	var lines []string
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("reading response head: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return lines
		}
		lines = append(lines, line)
	}
}

func TestUserMetadataKeysAreLowerCaseOnTheWire(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "meta")
	if _, err := e.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("meta"), Key: aws.String("k"), Body: strings.NewReader("x"),
		Metadata: map[string]string{"Meta1": "first", "camelCase-Key": "second"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		lines := rawHeaderLines(t, e, method, "/meta/k")
		for _, want := range []string{"x-amz-meta-meta1: first", "x-amz-meta-camelcase-key: second"} {
			found := false
			for _, l := range lines {
				found = found || l == want
				if strings.HasPrefix(l, "X-Amz-Meta-") {
					t.Errorf("%s: metadata header in canonical form %q; S3 sends the stored lower case", method, l)
				}
			}
			if !found {
				t.Errorf("%s: response lacks header line %q; got %q", method, want, lines)
			}
		}
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String("k")})
	if err != nil || head.Metadata["meta1"] != "first" || head.Metadata["camelcase-key"] != "second" {
		t.Fatalf("HeadObject metadata = %v, %v", head.Metadata, err)
	}
}

func TestListEncodingTypeURLKeepsSlash(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "enc")
	for _, k := range []string{"dir/a b.txt", "dir/x+y(1).txt", "dir/sub/ü.txt"} {
		mustPut(t, e, "enc", k, []byte("v"))
	}
	for _, path := range []string{"/enc?list-type=2&encoding-type=url&prefix=dir/", "/enc?encoding-type=url&prefix=dir/"} {
		res := e.do(t, http.MethodGet, path, nil, nil)
		for _, frag := range []string{
			"<Prefix>dir/</Prefix>",
			"<Key>dir/a+b.txt</Key>",
			"<Key>dir/x%2By%281%29.txt</Key>",
			"<Key>dir/sub/%C3%BC.txt</Key>",
		} {
			if !bytes.Contains(res.body, []byte(frag)) {
				t.Errorf("GET %s lacks %s: %s", path, frag, res.body)
			}
		}
		if bytes.Contains(res.body, []byte("%2F")) {
			t.Errorf("GET %s encodes '/': %s", path, res.body)
		}
	}
	res := e.do(t, http.MethodGet, "/enc?list-type=2&encoding-type=url&delimiter=/&prefix=dir/", nil, nil)
	if !bytes.Contains(res.body, []byte("<CommonPrefixes><Prefix>dir/sub/</Prefix></CommonPrefixes>")) {
		t.Errorf("common prefix encoded: %s", res.body)
	}
	// ListObjectVersions and ListMultipartUploads encode the same way.
	res = e.do(t, http.MethodGet, "/enc?versions&encoding-type=url&prefix=dir/", nil, nil)
	if !bytes.Contains(res.body, []byte("<Key>dir/a+b.txt</Key>")) || !bytes.Contains(res.body, []byte("<Prefix>dir/</Prefix>")) {
		t.Errorf("ListObjectVersions encoding-type=url: %s", res.body)
	}
	if _, err := e.client.CreateMultipartUpload(context.Background(), &s3.CreateMultipartUploadInput{Bucket: aws.String("enc"), Key: aws.String("up/x y")}); err != nil {
		t.Fatal(err)
	}
	res = e.do(t, http.MethodGet, "/enc?uploads&encoding-type=url", nil, nil)
	if !bytes.Contains(res.body, []byte("<Key>up/x+y</Key>")) || !bytes.Contains(res.body, []byte("<EncodingType>url</EncodingType>")) {
		t.Errorf("ListMultipartUploads encoding-type=url: %s", res.body)
	}
}

func TestListMaxKeysZeroAndEmptyToken(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "few")
	mustPut(t, e, "few", "a", []byte("1"))
	mustPut(t, e, "few", "b", []byte("2"))

	out, err := e.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("few"), MaxKeys: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToBool(out.IsTruncated) || len(out.Contents) != 0 || aws.ToInt32(out.KeyCount) != 0 || out.NextContinuationToken != nil {
		t.Errorf("max-keys=0: truncated=%v contents=%d keycount=%d next=%v; want an empty untruncated page",
			aws.ToBool(out.IsTruncated), len(out.Contents), aws.ToInt32(out.KeyCount), out.NextContinuationToken)
	}
	v1, err := e.client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("few"), MaxKeys: aws.Int32(0)})
	if err != nil || aws.ToBool(v1.IsTruncated) || len(v1.Contents) != 0 {
		t.Errorf("ListObjects max-keys=0: %v truncated=%v contents=%d", err, aws.ToBool(v1.IsTruncated), len(v1.Contents))
	}

	out, err = e.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("few"), ContinuationToken: aws.String("")})
	if err != nil {
		t.Fatal(err)
	}
	if out.ContinuationToken == nil || *out.ContinuationToken != "" || len(out.Contents) != 2 {
		t.Errorf("empty continuation-token: echoed %v, %d keys; want an echoed empty token and both keys", out.ContinuationToken, len(out.Contents))
	}
	out, err = e.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("few")})
	if err != nil || out.ContinuationToken != nil {
		t.Errorf("no continuation-token: echoed %v (%v), want none", out.ContinuationToken, err)
	}
}

// startUpload creates an upload and uploads one part; it returns the
// upload id and the part's completion entry.
func startUpload(t *testing.T, e *env, in *s3.CreateMultipartUploadInput, body []byte) (string, types.CompletedPart) {
	t.Helper()
	ctx := context.Background()
	cr, err := e.client.CreateMultipartUpload(ctx, in)
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	up, err := e.client.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: in.Bucket, Key: in.Key, UploadId: cr.UploadId, PartNumber: aws.Int32(1),
		Body: bytes.NewReader(body), ChecksumAlgorithm: in.ChecksumAlgorithm,
	})
	if err != nil {
		t.Fatalf("UploadPart: %v", err)
	}
	return aws.ToString(cr.UploadId), types.CompletedPart{
		PartNumber: aws.Int32(1), ETag: up.ETag, ChecksumCRC32: up.ChecksumCRC32, ChecksumSHA256: up.ChecksumSHA256,
	}
}

func TestCompleteMultipartUploadRetryIsIdempotent(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "mpu")
	id, part := startUpload(t, e, &s3.CreateMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("obj")}, []byte("only part"))
	in := &s3.CompleteMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("obj"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part}}}
	first, err := e.client.CompleteMultipartUpload(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.client.CompleteMultipartUpload(ctx, in)
	if err != nil {
		t.Fatalf("retried CompleteMultipartUpload = %v, want the same answer", err)
	}
	if aws.ToString(again.ETag) != aws.ToString(first.ETag) || aws.ToString(again.Location) != aws.ToString(first.Location) ||
		aws.ToString(again.ChecksumCRC64NVME) != aws.ToString(first.ChecksumCRC64NVME) {
		t.Errorf("retry answered %+v, first %+v", again, first)
	}
	// The retry must not resurrect the upload, and an unknown id is still
	// NoSuchUpload.
	uploads, err := e.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("mpu")})
	if err != nil || len(uploads.Uploads) != 0 {
		t.Errorf("uploads after retry: %v %v", uploads.Uploads, err)
	}
	in.UploadId = aws.String("unknown")
	_, err = e.client.CompleteMultipartUpload(ctx, in)
	if code, status := apiErr(t, err); code != "NoSuchUpload" || status != 404 {
		t.Errorf("unknown upload id: %s/%d, want NoSuchUpload/404", code, status)
	}
	// Aborting a completed upload stays NoSuchUpload.
	_, err = e.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mpu"), Key: aws.String("obj"), UploadId: aws.String(id)})
	var nsu *types.NoSuchUpload
	if !errors.As(err, &nsu) {
		t.Errorf("abort after completion: %v, want NoSuchUpload", err)
	}
}

func TestCompleteMultipartUploadFullObjectChecksum(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "cks")
	body := []byte("the whole object")
	complete := func(id string, part types.CompletedPart, mod func(*s3.CompleteMultipartUploadInput)) error {
		in := &s3.CompleteMultipartUploadInput{Bucket: aws.String("cks"), Key: aws.String("o"), UploadId: aws.String(id),
			MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part}}}
		mod(in)
		_, err := e.client.CompleteMultipartUpload(ctx, in)
		return err
	}

	// An upload without an algorithm: a full-object CRC32 claim is checked
	// against the bytes.
	id, part := startUpload(t, e, &s3.CreateMultipartUploadInput{Bucket: aws.String("cks"), Key: aws.String("o")}, body)
	wrong := crc32B64([]byte("something else"))
	err := complete(id, part, func(in *s3.CompleteMultipartUploadInput) { in.ChecksumCRC32 = aws.String(wrong) })
	if code, status := apiErr(t, err); code != "BadDigest" || status != 400 {
		t.Fatalf("wrong full-object CRC32 = %s/%d, want BadDigest/400", code, status)
	}
	err = complete(id, part, func(in *s3.CompleteMultipartUploadInput) { in.ChecksumCRC32 = aws.String("not*base64") })
	if code, status := apiErr(t, err); code != "InvalidRequest" || status != 400 {
		t.Fatalf("malformed CRC32 = %s/%d, want InvalidRequest/400", code, status)
	}
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cks"), Key: aws.String("o")}); err == nil {
		t.Fatal("a refused completion stored the object")
	}
	if err := complete(id, part, func(in *s3.CompleteMultipartUploadInput) { in.ChecksumCRC32 = aws.String(crc32B64(body)) }); err != nil {
		t.Fatalf("right CRC32: %v", err)
	}

	// A FULL_OBJECT CRC32 upload: the claim must be that CRC32.
	id, part = startUpload(t, e, &s3.CreateMultipartUploadInput{Bucket: aws.String("cks"), Key: aws.String("o"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32, ChecksumType: types.ChecksumTypeFullObject}, body)
	err = complete(id, part, func(in *s3.CompleteMultipartUploadInput) {
		in.ChecksumCRC32 = aws.String(wrong)
		in.ChecksumType = types.ChecksumTypeFullObject
	})
	if code, _ := apiErr(t, err); code != "BadDigest" {
		t.Fatalf("wrong CRC32 on a FULL_OBJECT upload = %s, want BadDigest", code)
	}
	err = complete(id, part, func(in *s3.CompleteMultipartUploadInput) { in.ChecksumType = types.ChecksumTypeComposite })
	if code, _ := apiErr(t, err); code != "InvalidRequest" {
		t.Fatalf("checksum type other than the upload's = %s, want InvalidRequest", code)
	}
	if err := complete(id, part, func(in *s3.CompleteMultipartUploadInput) { in.ChecksumCRC32 = aws.String(crc32B64(body)) }); err != nil {
		t.Fatalf("right CRC32 on a FULL_OBJECT upload: %v", err)
	}
}

func TestMultiValueContentEncodingRoundTrips(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "cenc")
	for _, enc := range []string{"gzip, br", "deflate,gzip", "identity"} {
		if _, err := e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cenc"), Key: aws.String("k"),
			Body: strings.NewReader("x"), ContentEncoding: aws.String(enc)}); err != nil {
			t.Fatal(err)
		}
		head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cenc"), Key: aws.String("k")})
		if err != nil || aws.ToString(head.ContentEncoding) != enc {
			t.Errorf("Content-Encoding %q came back as %q (%v)", enc, aws.ToString(head.ContentEncoding), err)
		}
	}
}

package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func crc32B64(data []byte) string {
	return b64(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data)))
}

func TestObjectRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "docs")

	body := []byte("hello, emulator\n")
	meta := map[string]string{"owner": "alice", "build-id": "42"}
	put, err := e.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:             aws.String("docs"),
		Key:                aws.String("reports/2024.txt"),
		Body:               bytes.NewReader(body),
		ContentType:        aws.String("text/plain; charset=utf-8"),
		ContentDisposition: aws.String(`attachment; filename="2024.txt"`),
		CacheControl:       aws.String("max-age=60"),
		ContentEncoding:    aws.String("gzip"),
		Metadata:           meta,
	})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	if got, want := aws.ToString(put.ETag), md5ETag(body); got != want {
		t.Errorf("PutObject ETag = %s, want quoted MD5 %s", got, want)
	}
	// The SDK's default CRC32 header was verified and kept: the response
	// echoes it, and a server ignoring it would answer CRC64NVME instead.
	if got := e.sent.lastHeader("X-Amz-Checksum-Crc32"); got != crc32B64(body) {
		t.Fatalf("SDK sent x-amz-checksum-crc32 %q, want %q (default SDK behaviour changed?)", got, crc32B64(body))
	}
	if got := aws.ToString(put.ChecksumCRC32); got != crc32B64(body) {
		t.Errorf("PutObject ChecksumCRC32 = %q, want %q", got, crc32B64(body))
	}

	before := e.svc.GetObjectCount()
	get, err := e.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket:       aws.String("docs"),
		Key:          aws.String("reports/2024.txt"),
		ChecksumMode: types.ChecksumModeEnabled,
	})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	got, err := io.ReadAll(get.Body) // the SDK validates the CRC32 here
	get.Body.Close()
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("body = %q, want %q", got, body)
	}
	checks := map[string][2]string{
		"ContentType":        {aws.ToString(get.ContentType), "text/plain; charset=utf-8"},
		"ContentDisposition": {aws.ToString(get.ContentDisposition), `attachment; filename="2024.txt"`},
		"CacheControl":       {aws.ToString(get.CacheControl), "max-age=60"},
		"ContentEncoding":    {aws.ToString(get.ContentEncoding), "gzip"},
		"ETag":               {aws.ToString(get.ETag), md5ETag(body)},
		"ChecksumCRC32":      {aws.ToString(get.ChecksumCRC32), crc32B64(body)},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("GetObject %s = %q, want %q", name, c[0], c[1])
		}
	}
	if !maps.Equal(get.Metadata, meta) {
		t.Errorf("GetObject Metadata = %v, want %v", get.Metadata, meta)
	}
	if aws.ToInt64(get.ContentLength) != int64(len(body)) {
		t.Errorf("ContentLength = %d, want %d", aws.ToInt64(get.ContentLength), len(body))
	}
	if get.LastModified == nil || time.Since(*get.LastModified) > time.Minute {
		t.Errorf("LastModified = %v, want about now", get.LastModified)
	}

	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("docs"), Key: aws.String("reports/2024.txt")})
	if err != nil {
		t.Fatalf("HeadObject: %v", err)
	}
	if aws.ToString(head.ContentType) != "text/plain; charset=utf-8" || aws.ToString(head.ETag) != md5ETag(body) ||
		aws.ToInt64(head.ContentLength) != int64(len(body)) || !maps.Equal(head.Metadata, meta) {
		t.Errorf("HeadObject = type %q etag %q len %d meta %v", aws.ToString(head.ContentType), aws.ToString(head.ETag), aws.ToInt64(head.ContentLength), head.Metadata)
	}
	if head.ChecksumCRC32 != nil {
		t.Errorf("HeadObject without checksum mode returned ChecksumCRC32 %q", *head.ChecksumCRC32)
	}
	if n := e.svc.GetObjectCount() - before; n != 1 {
		t.Errorf("GetObjectCount grew by %d after one GET and one HEAD, want 1", n)
	}

	// Defaults when the client sends no Content-Type.
	res := e.do(t, http.MethodPut, "/docs/raw.bin", []byte{1, 2, 3}, nil)
	if res.status != http.StatusOK {
		t.Fatalf("raw PUT: %d %s", res.status, res.body)
	}
	if res := e.do(t, http.MethodGet, "/docs/raw.bin", nil, nil); res.header.Get("Content-Type") != "binary/octet-stream" {
		t.Errorf("default Content-Type = %q, want binary/octet-stream", res.header.Get("Content-Type"))
	}

	// Delete, then the typed NoSuchKey; deleting again still succeeds.
	for range 2 {
		if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("docs"), Key: aws.String("reports/2024.txt")}); err != nil {
			t.Fatalf("DeleteObject: %v", err)
		}
	}
	_, err = e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("docs"), Key: aws.String("reports/2024.txt")})
	var noKey *types.NoSuchKey
	if !errors.As(err, &noKey) {
		t.Fatalf("GetObject after delete error = %v, want *types.NoSuchKey", err)
	}
	_, err = e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("docs"), Key: aws.String("reports/2024.txt")})
	var notFound *types.NotFound
	if !errors.As(err, &notFound) {
		t.Fatalf("HeadObject after delete error = %v, want *types.NotFound", err)
	}
	_, err = e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("missing-bucket"), Key: aws.String("k"), Body: bytes.NewReader(nil)})
	if code, status := apiErr(t, err); code != "NoSuchBucket" || status != http.StatusNotFound {
		t.Errorf("PutObject into missing bucket = %s/%d, want NoSuchBucket/404", code, status)
	}
	_, err = e.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("missing-bucket")})
	var noBucket *types.NoSuchBucket
	if !errors.As(err, &noBucket) {
		t.Fatalf("ListObjectsV2 of missing bucket error = %v, want *types.NoSuchBucket", err)
	}
}

func TestSDKChecksumAlgorithms(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "sums")
	body := []byte("checksummed payload")
	sha1Sum := sha1.Sum(body)
	sha256Sum := sha256.Sum256(body)
	crc32c := crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli))

	cases := []struct {
		alg  types.ChecksumAlgorithm
		want string
		got  func(*s3.HeadObjectOutput) *string
	}{
		{types.ChecksumAlgorithmCrc32, crc32B64(body), func(o *s3.HeadObjectOutput) *string { return o.ChecksumCRC32 }},
		{types.ChecksumAlgorithmCrc32c, b64(binary.BigEndian.AppendUint32(nil, crc32c)), func(o *s3.HeadObjectOutput) *string { return o.ChecksumCRC32C }},
		{types.ChecksumAlgorithmSha1, b64(sha1Sum[:]), func(o *s3.HeadObjectOutput) *string { return o.ChecksumSHA1 }},
		{types.ChecksumAlgorithmSha256, b64(sha256Sum[:]), func(o *s3.HeadObjectOutput) *string { return o.ChecksumSHA256 }},
		// The SDK computes CRC64NVME itself; the server verifies it.
		{types.ChecksumAlgorithmCrc64nvme, "", func(o *s3.HeadObjectOutput) *string { return o.ChecksumCRC64NVME }},
	}
	for _, c := range cases {
		key := "obj-" + string(c.alg)
		_, err := e.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String("sums"), Key: aws.String(key), Body: bytes.NewReader(body), ChecksumAlgorithm: c.alg,
		})
		if err != nil {
			t.Fatalf("PutObject with %s: %v", c.alg, err)
		}
		want := c.want
		if want == "" {
			want = e.sent.lastHeader("X-Amz-Checksum-Crc64nvme")
		}
		head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{
			Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled,
		})
		if err != nil {
			t.Fatalf("HeadObject %s: %v", key, err)
		}
		if got := aws.ToString(c.got(head)); got == "" || got != want {
			t.Errorf("%s: HeadObject checksum = %q, want %q", c.alg, got, want)
		}
		if head.ChecksumType != types.ChecksumTypeFullObject {
			t.Errorf("%s: ChecksumType = %q, want FULL_OBJECT", c.alg, head.ChecksumType)
		}
	}
}

func TestChecksumVerification(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "verify")
	body := []byte("the quick brown fox")
	md5Sum := md5.Sum(body)

	rejected := []struct {
		name   string
		hdr    map[string]string
		status int
		code   string
	}{
		{"wrong crc32", map[string]string{"x-amz-checksum-crc32": crc32B64([]byte("other")), "x-amz-sdk-checksum-algorithm": "CRC32"}, 400, "BadDigest"},
		{"wrong crc32c", map[string]string{"x-amz-checksum-crc32c": "AAAAAA=="}, 400, "BadDigest"},
		{"wrong sha256", map[string]string{"x-amz-checksum-sha256": b64(make([]byte, 32))}, 400, "BadDigest"},
		{"wrong crc64nvme", map[string]string{"x-amz-checksum-crc64nvme": b64(make([]byte, 8))}, 400, "BadDigest"},
		{"malformed crc32", map[string]string{"x-amz-checksum-crc32": "not base64!"}, 400, "InvalidRequest"},
		{"two algorithms", map[string]string{"x-amz-checksum-crc32": crc32B64(body), "x-amz-checksum-sha1": b64(make([]byte, 20))}, 400, "InvalidRequest"},
		{"algorithm without value", map[string]string{"x-amz-sdk-checksum-algorithm": "SHA256", "x-amz-checksum-crc32": crc32B64(body)}, 400, "InvalidRequest"},
		{"wrong Content-MD5", map[string]string{"Content-MD5": b64(make([]byte, 16))}, 400, "BadDigest"},
		{"malformed Content-MD5", map[string]string{"Content-MD5": "abc"}, 400, "InvalidDigest"},
		{"wrong x-amz-content-sha256", map[string]string{"x-amz-content-sha256": "0000000000000000000000000000000000000000000000000000000000000000"}, 400, "XAmzContentSHA256Mismatch"},
	}
	for _, c := range rejected {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, e.do(t, http.MethodPut, "/verify/obj", body, c.hdr), c.status, c.code)
			// Nothing may be stored by a rejected upload.
			if res := e.do(t, http.MethodHead, "/verify/obj", nil, nil); res.status != http.StatusNotFound {
				t.Fatalf("object stored despite rejection: HEAD = %d", res.status)
			}
		})
	}

	sha := sha256.Sum256(body)
	accepted := map[string]string{
		"x-amz-checksum-crc32": crc32B64(body),
		"Content-MD5":          b64(md5Sum[:]),
		"x-amz-content-sha256": hexString(sha[:]),
	}
	res := e.do(t, http.MethodPut, "/verify/obj", body, accepted)
	if res.status != http.StatusOK {
		t.Fatalf("correct checksums rejected: %d %s", res.status, res.body)
	}
	if got := res.header.Get("x-amz-checksum-crc32"); got != crc32B64(body) {
		t.Errorf("PutObject response x-amz-checksum-crc32 = %q", got)
	}

	// Without any checksum S3 computes CRC64NVME; check against the
	// published check value of CRC-64/NVME ("123456789" -> 0xae8b14860a799888).
	res = e.do(t, http.MethodPut, "/verify/plain", []byte("123456789"), nil)
	if res.status != http.StatusOK {
		t.Fatalf("plain PUT: %d %s", res.status, res.body)
	}
	res = e.do(t, http.MethodHead, "/verify/plain", nil, map[string]string{"x-amz-checksum-mode": "ENABLED"})
	want := b64(binary.BigEndian.AppendUint64(nil, 0xae8b14860a799888))
	if got := res.header.Get("x-amz-checksum-crc64nvme"); got != want {
		t.Errorf("default CRC64NVME = %q, want %q", got, want)
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestRangeAndConditionals(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "ranges")
	body := []byte("0123456789abcdef")
	mustPut(t, e, "ranges", "obj", body)
	etag := md5ETag(body)

	cases := []struct {
		rng          string
		status       int
		body         string
		contentRange string
	}{
		{"bytes=2-5", 206, "2345", "bytes 2-5/16"},
		{"bytes=10-", 206, "abcdef", "bytes 10-15/16"},
		{"bytes=-3", 206, "def", "bytes 13-15/16"},
		{"bytes=14-100", 206, "ef", "bytes 14-15/16"},
		{"bytes=-100", 206, string(body), "bytes 0-15/16"},
		{"bytes=5-2", 200, string(body), ""},     // invalid: ignored
		{"bytes=0-1,4-5", 200, string(body), ""}, // multi-range: S3 serves all
	}
	for _, c := range cases {
		res := e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"Range": c.rng})
		if res.status != c.status || string(res.body) != c.body || res.header.Get("Content-Range") != c.contentRange {
			t.Errorf("Range %s: %d %q Content-Range %q; want %d %q %q", c.rng, res.status, res.body, res.header.Get("Content-Range"), c.status, c.body, c.contentRange)
		}
	}
	res := e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"Range": "bytes=16-"})
	wantError(t, res, http.StatusRequestedRangeNotSatisfiable, "InvalidRange")
	if got := res.header.Get("Content-Range"); got != "bytes */16" {
		t.Errorf("416 Content-Range = %q, want bytes */16", got)
	}

	// Through the SDK, with checksum validation on: a partial body must not
	// be checked against the full-object checksum.
	out, err := e.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String("ranges"), Key: aws.String("obj"), Range: aws.String("bytes=4-7"), ChecksumMode: types.ChecksumModeEnabled,
	})
	if err != nil {
		t.Fatalf("ranged GetObject: %v", err)
	}
	part, err := io.ReadAll(out.Body)
	out.Body.Close()
	if err != nil || string(part) != "4567" || aws.ToString(out.ContentRange) != "bytes 4-7/16" {
		t.Errorf("ranged GetObject = %q, %v, Content-Range %q", part, err, aws.ToString(out.ContentRange))
	}
	_, err = e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("obj"), Range: aws.String("bytes=100-200")})
	if code, status := apiErr(t, err); code != "InvalidRange" || status != 416 {
		t.Errorf("unsatisfiable range via SDK = %s/%d, want InvalidRange/416", code, status)
	}

	// Any range on an empty object is unsatisfiable, as on S3.
	e.do(t, http.MethodPut, "/ranges/empty", []byte{}, nil)
	wantError(t, e.do(t, http.MethodGet, "/ranges/empty", nil, map[string]string{"Range": "bytes=0-"}), 416, "InvalidRange")

	// Conditional GET/HEAD.
	before := e.svc.GetObjectCount()
	res = e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"If-None-Match": etag})
	if res.status != http.StatusNotModified || len(res.body) != 0 || res.header.Get("ETag") != etag {
		t.Errorf("If-None-Match current ETag: %d body %q ETag %q, want 304, empty, %s", res.status, res.body, res.header.Get("ETag"), etag)
	}
	if res := e.do(t, http.MethodHead, "/ranges/obj", nil, map[string]string{"If-None-Match": etag}); res.status != http.StatusNotModified {
		t.Errorf("HEAD If-None-Match: %d, want 304", res.status)
	}
	if res := e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"If-None-Match": `"other"`}); res.status != http.StatusOK {
		t.Errorf("If-None-Match other ETag: %d, want 200", res.status)
	}
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	if res := e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"If-Modified-Since": future}); res.status != http.StatusNotModified {
		t.Errorf("If-Modified-Since future: %d, want 304", res.status)
	}
	wantError(t, e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"If-Unmodified-Since": past}), 412, "PreconditionFailed")
	if res := e.do(t, http.MethodGet, "/ranges/obj", nil, map[string]string{"If-Match": etag}); res.status != http.StatusOK {
		t.Errorf("If-Match current ETag: %d, want 200", res.status)
	}
	_, err = e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("obj"), IfMatch: aws.String(`"0000"`)})
	if code, status := apiErr(t, err); code != "PreconditionFailed" || status != 412 {
		t.Errorf("If-Match mismatch via SDK = %s/%d, want PreconditionFailed/412", code, status)
	}
	if res := e.do(t, http.MethodHead, "/ranges/obj", nil, map[string]string{"If-Match": `"0000"`}); res.status != 412 || len(res.body) != 0 {
		t.Errorf("HEAD If-Match mismatch: %d %q, want bare 412", res.status, res.body)
	}
	// Only the two plain 200 GETs above count.
	if n := e.svc.GetObjectCount() - before; n != 2 {
		t.Errorf("GetObjectCount grew by %d, want 2 (304/412 are not successful GETs)", n)
	}

	// Conditional writes.
	wantError(t, e.do(t, http.MethodPut, "/ranges/obj", []byte("new"), map[string]string{"If-None-Match": "*"}), 412, "PreconditionFailed")
	if res := e.do(t, http.MethodPut, "/ranges/fresh", []byte("new"), map[string]string{"If-None-Match": "*"}); res.status != 200 {
		t.Errorf("If-None-Match: * on a new key: %d %s", res.status, res.body)
	}
	wantError(t, e.do(t, http.MethodPut, "/ranges/obj", []byte("new"), map[string]string{"If-Match": `"0000"`}), 412, "PreconditionFailed")
	if got := mustGetBody(t, e, "ranges", "obj"); !bytes.Equal(got, body) {
		t.Errorf("failed conditional writes changed the object to %q", got)
	}
}

func TestPartNumberAndVersionID(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "parts")
	mustPut(t, e, "parts", "obj", []byte("whole"))
	res := e.do(t, http.MethodGet, "/parts/obj?partNumber=1", nil, nil)
	if res.status != 206 || string(res.body) != "whole" || res.header.Get("Content-Range") != "bytes 0-4/5" {
		t.Errorf("partNumber=1: %d %q %q", res.status, res.body, res.header.Get("Content-Range"))
	}
	wantError(t, e.do(t, http.MethodGet, "/parts/obj?partNumber=2", nil, nil), 416, "InvalidPartNumber")
	if res := e.do(t, http.MethodGet, "/parts/obj?versionId=null", nil, nil); res.status != 200 {
		t.Errorf("versionId=null: %d", res.status)
	}
	wantError(t, e.do(t, http.MethodGet, "/parts/obj?versionId=abc", nil, nil), 400, "InvalidArgument")
}

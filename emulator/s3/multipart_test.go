package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const mib = 1 << 20

// randomBytes returns n deterministic pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// multipartETag is the ETag S3 gives a multipart object: the MD5 of the
// concatenated part MD5s, "-" and the part count.
func multipartETag(parts ...[]byte) string {
	h := md5.New()
	for _, p := range parts {
		sum := md5.Sum(p)
		h.Write(sum[:])
	}
	return fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(h.Sum(nil)), len(parts))
}

// writeAtBuffer is an in-memory io.WriterAt for the download manager.
type writeAtBuffer struct {
	mu  sync.Mutex
	buf []byte
}

func (w *writeAtBuffer) WriteAt(p []byte, off int64) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if end := int(off) + len(p); end > len(w.buf) {
		w.buf = append(w.buf, make([]byte, end-len(w.buf))...)
	}
	return copy(w.buf[off:], p), nil
}

// TestTransferManager uploads and downloads a 20 MiB object in 5 MiB parts
// with the SDK's transfer manager, exactly as applications do.
func TestTransferManager(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "tmgr")
	body := randomBytes(20*mib+12345, 1) // 5 parts, the last one short
	tm := transfermanager.New(e.client, func(o *transfermanager.Options) {
		o.PartSizeBytes = 5 * mib
		o.Concurrency = 3
	})

	up, err := tm.UploadObject(ctx, &transfermanager.UploadObjectInput{
		Bucket:      aws.String("tmgr"),
		Key:         aws.String("big/object.bin"),
		Body:        bytes.NewReader(body),
		ContentType: aws.String("application/x-test"),
		Metadata:    map[string]string{"origin": "transfer-manager"},
	})
	if err != nil {
		t.Fatalf("UploadObject: %v", err)
	}
	var parts [][]byte
	for off := 0; off < len(body); off += 5 * mib {
		parts = append(parts, body[off:min(off+5*mib, len(body))])
	}
	wantETag := multipartETag(parts...)
	if aws.ToString(up.ETag) != wantETag {
		t.Errorf("UploadObject ETag = %s, want %s", aws.ToString(up.ETag), wantETag)
	}
	if up.UploadID == nil || len(up.CompletedParts) != len(parts) {
		t.Errorf("UploadObject did not go multipart: upload id %v, %d parts", up.UploadID, len(up.CompletedParts))
	}
	// The transfer manager asks for CRC32, which S3 makes COMPOSITE: the
	// CRC32 of the parts' CRC32s, suffixed with the part count.
	comp := crc32.NewIEEE()
	for _, p := range parts {
		var sum [4]byte
		v := crc32.ChecksumIEEE(p)
		sum[0], sum[1], sum[2], sum[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
		comp.Write(sum[:])
	}
	wantCRC := b64(comp.Sum(nil)) + fmt.Sprintf("-%d", len(parts))
	if got := aws.ToString(up.ChecksumCRC32); got != wantCRC || up.ChecksumType != "COMPOSITE" {
		t.Errorf("UploadObject checksum = %q %q, want %q COMPOSITE", got, up.ChecksumType, wantCRC)
	}

	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tmgr"), Key: aws.String("big/object.bin"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatalf("HeadObject: %v", err)
	}
	if aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag ||
		aws.ToString(head.ContentType) != "application/x-test" || head.Metadata["origin"] != "transfer-manager" {
		t.Errorf("HeadObject = %d %s %q %v", aws.ToInt64(head.ContentLength), aws.ToString(head.ETag), aws.ToString(head.ContentType), head.Metadata)
	}
	if aws.ToString(head.ChecksumCRC32) != wantCRC || head.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("HeadObject checksum = %q %q", aws.ToString(head.ChecksumCRC32), head.ChecksumType)
	}

	// Part-wise download (the transfer manager's default): GET ?partNumber=1
	// tells it x-amz-mp-parts-count, then it fetches the other parts.
	var dst writeAtBuffer
	down, err := tm.DownloadObject(ctx, &transfermanager.DownloadObjectInput{
		Bucket: aws.String("tmgr"), Key: aws.String("big/object.bin"), WriterAt: &dst,
	})
	if err != nil {
		t.Fatalf("DownloadObject: %v", err)
	}
	if !bytes.Equal(dst.buf, body) {
		t.Fatalf("downloaded %d bytes differ from the %d uploaded", len(dst.buf), len(body))
	}
	if aws.ToInt32(down.PartsCount) != int32(len(parts)) {
		t.Errorf("PartsCount = %d, want %d", aws.ToInt32(down.PartsCount), len(parts))
	}
	// Range-wise download works too, and a plain GetObject returns it all.
	var dst2 writeAtBuffer
	if _, err := transfermanager.New(e.client, func(o *transfermanager.Options) {
		o.PartSizeBytes = 7 * mib
		o.GetObjectType = "RANGES"
	}).DownloadObject(ctx, &transfermanager.DownloadObjectInput{Bucket: aws.String("tmgr"), Key: aws.String("big/object.bin"), WriterAt: &dst2}); err != nil {
		t.Fatalf("DownloadObject (ranges): %v", err)
	}
	if !bytes.Equal(dst2.buf, body) {
		t.Fatal("range-wise download differs")
	}
	if got := mustGetBody(t, e, "tmgr", "big/object.bin"); !bytes.Equal(got, body) {
		t.Fatal("GetObject of the multipart object differs")
	}
	// A range across a part boundary.
	res := e.do(t, http.MethodGet, "/tmgr/big/object.bin", nil, map[string]string{"Range": fmt.Sprintf("bytes=%d-%d", 5*mib-3, 5*mib+2)})
	if res.status != 206 || !bytes.Equal(res.body, body[5*mib-3:5*mib+3]) {
		t.Errorf("range across parts: %d %x", res.status, res.body)
	}
	// partNumber past the end.
	res = e.do(t, http.MethodGet, "/tmgr/big/object.bin?partNumber=6", nil, nil)
	wantError(t, res, 416, "InvalidPartNumber")

	// Nothing left in progress.
	list, err := e.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("tmgr")})
	if err != nil || len(list.Uploads) != 0 {
		t.Errorf("ListMultipartUploads after completion = %v, %v", list, err)
	}
}

// TestMultipartLowLevel drives every multipart operation through the SDK.
func TestMultipartLowLevel(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "mpu")
	bkt, key := aws.String("mpu"), aws.String("dir/obj")

	create, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: bkt, Key: key, ContentType: aws.String("text/csv"), CacheControl: aws.String("no-cache"),
		ContentDisposition: aws.String("inline"), Metadata: map[string]string{"k": "v"},
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
	})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	id := create.UploadId
	if create.ChecksumAlgorithm != types.ChecksumAlgorithmSha256 || create.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("CreateMultipartUpload checksum = %q %q", create.ChecksumAlgorithm, create.ChecksumType)
	}
	p1, p2, p3 := randomBytes(5*mib, 2), randomBytes(5*mib, 3), []byte("tail")
	etags := map[int32]string{}
	sums := map[int32]string{}
	// Upload out of order and re-upload part 2: the last one wins.
	for _, p := range []struct {
		n    int32
		body []byte
	}{{3, p3}, {1, p1}, {2, []byte("replaced")}, {2, p2}} {
		out, err := e.client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(p.n), Body: bytes.NewReader(p.body),
			ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
		})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", p.n, err)
		}
		if aws.ToString(out.ETag) != md5ETag(p.body) {
			t.Errorf("UploadPart %d ETag = %s", p.n, aws.ToString(out.ETag))
		}
		etags[p.n], sums[p.n] = aws.ToString(out.ETag), aws.ToString(out.ChecksumSHA256)
	}

	parts, err := e.client.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: key, UploadId: id, MaxParts: aws.Int32(2)})
	if err != nil {
		t.Fatalf("ListParts: %v", err)
	}
	if len(parts.Parts) != 2 || !aws.ToBool(parts.IsTruncated) || aws.ToString(parts.NextPartNumberMarker) != "2" ||
		aws.ToInt32(parts.Parts[0].PartNumber) != 1 || aws.ToInt64(parts.Parts[1].Size) != 5*mib ||
		aws.ToString(parts.Parts[1].ETag) != etags[2] || aws.ToString(parts.Parts[1].ChecksumSHA256) != sums[2] {
		t.Errorf("ListParts page 1 = %+v", parts)
	}
	parts, err = e.client.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: key, UploadId: id, PartNumberMarker: aws.String("2")})
	if err != nil || len(parts.Parts) != 1 || aws.ToInt32(parts.Parts[0].PartNumber) != 3 || aws.ToBool(parts.IsTruncated) {
		t.Errorf("ListParts page 2 = %+v, %v", parts, err)
	}

	uploads, err := e.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: bkt, Prefix: aws.String("dir/")})
	if err != nil || len(uploads.Uploads) != 1 || aws.ToString(uploads.Uploads[0].UploadId) != aws.ToString(id) ||
		aws.ToString(uploads.Uploads[0].Key) != "dir/obj" {
		t.Errorf("ListMultipartUploads = %+v, %v", uploads, err)
	}

	completed := func(ns ...int32) *types.CompletedMultipartUpload {
		var cps []types.CompletedPart
		for _, n := range ns {
			cps = append(cps, types.CompletedPart{PartNumber: aws.Int32(n), ETag: aws.String(etags[n]), ChecksumSHA256: aws.String(sums[n])})
		}
		return &types.CompletedMultipartUpload{Parts: cps}
	}
	// Errors first: none of them may complete or consume the upload.
	badETag := completed(1, 2, 3)
	badETag.Parts[1].ETag = aws.String(md5ETag([]byte("other")))
	badSum := completed(1, 2, 3)
	badSum.Parts[0].ChecksumSHA256 = aws.String(sums[2])
	noSum := completed(1, 2, 3)
	noSum.Parts[2].ChecksumSHA256 = nil
	missing := completed(1, 2, 3)
	missing.Parts = append(missing.Parts, types.CompletedPart{PartNumber: aws.Int32(4), ETag: aws.String(etags[3])})
	cases := []struct {
		name   string
		upload *string
		parts  *types.CompletedMultipartUpload
		code   string
		status int
	}{
		{"order", id, completed(2, 1, 3), "InvalidPartOrder", 400},
		{"duplicate", id, completed(1, 1, 3), "InvalidPartOrder", 400},
		{"etag", id, badETag, "InvalidPart", 400},
		{"checksum", id, badSum, "InvalidPart", 400},
		{"missing checksum", id, noSum, "InvalidRequest", 400},
		{"not uploaded", id, missing, "InvalidPart", 400},
		{"no parts", id, &types.CompletedMultipartUpload{}, "MalformedXML", 400},
		{"unknown upload", aws.String("nope"), completed(1, 2, 3), "NoSuchUpload", 404},
	}
	for _, c := range cases {
		_, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: c.upload, MultipartUpload: c.parts})
		if code, status := apiErr(t, err); code != c.code || status != c.status {
			t.Errorf("%s: CompleteMultipartUpload = %s/%d, want %s/%d (%v)", c.name, code, status, c.code, c.status, err)
		}
	}

	done, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: key, UploadId: id, MultipartUpload: completed(1, 2, 3)})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if aws.ToString(done.ETag) != multipartETag(p1, p2, p3) || done.ChecksumType != types.ChecksumTypeComposite ||
		!strings.HasSuffix(aws.ToString(done.ChecksumSHA256), "-3") {
		t.Errorf("CompleteMultipartUpload = ETag %s checksum %s %s", aws.ToString(done.ETag), aws.ToString(done.ChecksumSHA256), done.ChecksumType)
	}
	get, err := e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: bkt, Key: key})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	got, _ := io.ReadAll(get.Body)
	get.Body.Close()
	if !bytes.Equal(got, append(append(append([]byte{}, p1...), p2...), p3...)) {
		t.Error("assembled object differs from its parts")
	}
	if aws.ToString(get.ContentType) != "text/csv" || aws.ToString(get.CacheControl) != "no-cache" ||
		aws.ToString(get.ContentDisposition) != "inline" || get.Metadata["k"] != "v" {
		t.Errorf("headers from CreateMultipartUpload not kept: %q %q %q %v", aws.ToString(get.ContentType), aws.ToString(get.CacheControl), aws.ToString(get.ContentDisposition), get.Metadata)
	}
	// Completed: the upload is gone.
	_, err = e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: key, UploadId: id, PartNumber: aws.Int32(1), Body: bytes.NewReader(p3)})
	// The SDK models NoSuchUpload as a type only for AbortMultipartUpload;
	// elsewhere it is the generic API error with that code.
	if code, status := apiErr(t, err); code != "NoSuchUpload" || status != 404 {
		t.Errorf("UploadPart after completion = %s/%d, want NoSuchUpload/404", code, status)
	}

	// EntityTooSmall: a short part that is not the last.
	small, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	var cps []types.CompletedPart
	for n, b := range [][]byte{[]byte("tiny"), []byte("last")} {
		out, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("small"), UploadId: small.UploadId, PartNumber: aws.Int32(int32(n + 1)), Body: bytes.NewReader(b)})
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, types.CompletedPart{PartNumber: aws.Int32(int32(n + 1)), ETag: out.ETag})
	}
	_, err = e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: aws.String("small"), UploadId: small.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: cps}})
	if code, status := apiErr(t, err); code != "EntityTooSmall" || status != 400 {
		t.Errorf("CompleteMultipartUpload with a small middle part = %s/%d", code, status)
	}
	// A single small part is fine (the last part has no minimum), and an
	// upload without checksum algorithm gets S3's default full-object
	// CRC64NVME.
	done, err = e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bkt, Key: aws.String("small"), UploadId: small.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: cps[1:]}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload with one small part: %v", err)
	}
	if done.ChecksumType != types.ChecksumTypeFullObject || done.ChecksumCRC64NVME == nil {
		t.Errorf("default multipart checksum = %q %v", done.ChecksumType, done.ChecksumCRC64NVME)
	}
	if got := mustGetBody(t, e, "mpu", "small"); string(got) != "last" {
		t.Errorf("single-part multipart object = %q", got)
	}

	// Abort: the upload disappears; aborting again is NoSuchUpload.
	ab, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("aborted")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: aws.String("aborted"), UploadId: ab.UploadId}); err != nil {
		t.Fatalf("AbortMultipartUpload: %v", err)
	}
	_, err = e.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bkt, Key: aws.String("aborted"), UploadId: ab.UploadId})
	var noUpload *types.NoSuchUpload
	if !errors.As(err, &noUpload) {
		t.Errorf("second AbortMultipartUpload = %v, want *types.NoSuchUpload", err)
	}
	_, err = e.client.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: aws.String("aborted"), UploadId: ab.UploadId})
	if code, status := apiErr(t, err); code != "NoSuchUpload" || status != 404 {
		t.Errorf("ListParts of an aborted upload = %s/%d", code, status)
	}
}

// TestMultipartErrors covers request validation through the SDK.
func TestMultipartErrors(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "mperr")
	bkt := aws.String("mperr")
	create, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("k"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		call   func() error
		code   string
		status int
	}{
		{"create in missing bucket", func() error {
			_, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
			return err
		}, "NoSuchBucket", 404},
		{"FULL_OBJECT with SHA256", func() error {
			_, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bkt, Key: aws.String("k"), ChecksumAlgorithm: types.ChecksumAlgorithmSha256, ChecksumType: types.ChecksumTypeFullObject})
			return err
		}, "InvalidRequest", 400},
		{"part number 0", func() error {
			_, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("k"), UploadId: create.UploadId, PartNumber: aws.Int32(0), Body: strings.NewReader("x")})
			return err
		}, "InvalidArgument", 400},
		{"part number 10001", func() error {
			_, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("k"), UploadId: create.UploadId, PartNumber: aws.Int32(10001), Body: strings.NewReader("x")})
			return err
		}, "InvalidArgument", 400},
		{"part with another checksum algorithm", func() error {
			_, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("k"), UploadId: create.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x"), ChecksumAlgorithm: types.ChecksumAlgorithmSha1})
			return err
		}, "InvalidRequest", 400},
		{"part with a wrong checksum", func() error {
			_, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("k"), UploadId: create.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x"), ChecksumCRC32: aws.String(crc32B64([]byte("y")))})
			return err
		}, "BadDigest", 400},
		{"part of an upload for another key", func() error {
			_, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: bkt, Key: aws.String("other"), UploadId: create.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
			return err
		}, "NoSuchUpload", 404},
		{"list parts of unknown upload", func() error {
			_, err := e.client.ListParts(ctx, &s3.ListPartsInput{Bucket: bkt, Key: aws.String("k"), UploadId: aws.String("nope")})
			return err
		}, "NoSuchUpload", 404},
		{"list uploads of missing bucket", func() error {
			_, err := e.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("nobucket")})
			return err
		}, "NoSuchBucket", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, status := apiErr(t, c.call()); code != c.code || status != c.status {
				t.Errorf("got %s/%d, want %s/%d", code, status, c.code, c.status)
			}
		})
	}
	// Raw: a CompleteMultipartUpload body that is not XML.
	wantError(t, e.do(t, http.MethodPost, "/mperr/k?uploadId="+aws.ToString(create.UploadId), []byte("<nope"), nil), 400, "MalformedXML")
}

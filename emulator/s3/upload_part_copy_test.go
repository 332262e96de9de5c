package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestUploadPartCopy(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "upc")
	big := randomBytes(12*mib, 7)
	small := []byte("the small tail")
	mustPut(t, e, "upc", "big", big)
	mustPut(t, e, "upc", "small", small)

	cr, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("upc"), Key: aws.String("joined"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	copyPart := func(n int32, source, rng string) (*s3.UploadPartCopyOutput, error) {
		in := &s3.UploadPartCopyInput{Bucket: aws.String("upc"), Key: aws.String("joined"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(n), CopySource: aws.String(source)}
		if rng != "" {
			in.CopySourceRange = aws.String(rng)
		}
		return e.client.UploadPartCopy(ctx, in)
	}
	split := 5 * mib
	pieces := [][]byte{big[:split], big[split:], small}
	var parts []types.CompletedPart
	for i, c := range []struct{ source, rng string }{
		{"upc/big", fmt.Sprintf("bytes=0-%d", split-1)},
		{"upc/big", fmt.Sprintf("bytes=%d-%d", split, len(big)-1)},
		{"upc/small", ""},
	} {
		out, err := copyPart(int32(i+1), c.source, c.rng)
		if err != nil {
			t.Fatalf("UploadPartCopy %d: %v", i+1, err)
		}
		r := out.CopyPartResult
		if aws.ToString(r.ETag) != md5ETag(pieces[i]) || aws.ToString(r.ChecksumCRC32) != crc32B64(pieces[i]) || r.LastModified == nil {
			t.Errorf("part %d: ETag %s CRC32 %s, want %s %s", i+1, aws.ToString(r.ETag), aws.ToString(r.ChecksumCRC32), md5ETag(pieces[i]), crc32B64(pieces[i]))
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32})
	}

	// Refusals, none of which adds a part.
	for rng, want := range map[string]string{
		"bytes=5-":                            "InvalidArgument",
		"0-4":                                 "InvalidArgument",
		"bytes=9-3":                           "InvalidArgument",
		fmt.Sprintf("bytes=0-%d", len(small)): "InvalidArgument",
	} {
		_, err := copyPart(9, "upc/small", rng)
		if code, status := apiErr(t, err); code != want || status != 400 {
			t.Errorf("range %q = %s/%d, want %s/400", rng, code, status, want)
		}
	}
	_, err = copyPart(9, "upc/missing", "")
	if code, _ := apiErr(t, err); code != "NoSuchKey" {
		t.Errorf("missing source = %s", code)
	}
	_, err = e.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("upc"), Key: aws.String("joined"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(9), CopySource: aws.String("upc/small"), CopySourceIfMatch: aws.String(`"not-the-etag"`)})
	if code, status := apiErr(t, err); code != "PreconditionFailed" || status != 412 {
		t.Errorf("x-amz-copy-source-if-match = %s/%d", code, status)
	}
	lp, err := e.client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("upc"), Key: aws.String("joined"), UploadId: cr.UploadId})
	if err != nil || len(lp.Parts) != 3 {
		t.Fatalf("ListParts = %d parts, %v; want 3", len(lp.Parts), err)
	}

	done, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("upc"), Key: aws.String("joined"),
		UploadId: cr.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if aws.ToString(done.ETag) != multipartETag(pieces...) {
		t.Errorf("ETag = %s, want %s", aws.ToString(done.ETag), multipartETag(pieces...))
	}
	if got := mustGetBody(t, e, "upc", "joined"); !bytes.Equal(got, append(append([]byte{}, big...), small...)) {
		t.Errorf("assembled object differs (%d bytes)", len(got))
	}
}

func TestUploadPartCopyFromVersion(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "upcv")
	setVersioning(t, e, "upcv", types.BucketVersioningStatusEnabled)
	old := aws.ToString(mustPut(t, e, "upcv", "src", []byte("old bytes")).VersionId)
	mustPut(t, e, "upcv", "src", []byte("new bytes"))
	cr, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("upcv"), Key: aws.String("dst")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.client.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("upcv"), Key: aws.String("dst"), UploadId: cr.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("upcv/src?versionId=" + old), CopySourceRange: aws.String("bytes=0-2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CopySourceVersionId) != old || aws.ToString(out.CopyPartResult.ETag) != md5ETag([]byte("old")) {
		t.Errorf("copy of an old version's range: version %q, ETag %s", aws.ToString(out.CopySourceVersionId), aws.ToString(out.CopyPartResult.ETag))
	}
}

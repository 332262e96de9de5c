package s3_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var allAttributes = []types.ObjectAttributes{types.ObjectAttributesEtag, types.ObjectAttributesChecksum,
	types.ObjectAttributesObjectParts, types.ObjectAttributesStorageClass, types.ObjectAttributesObjectSize}

func TestGetObjectAttributes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "attrs")
	body := []byte("attribute me")
	mustPut(t, e, "attrs", "single", body)

	out, err := e.client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs"), Key: aws.String("single"), ObjectAttributes: allAttributes})
	if err != nil {
		t.Fatalf("GetObjectAttributes: %v", err)
	}
	if got, want := aws.ToString(out.ETag), strings.Trim(md5ETag(body), `"`); got != want {
		t.Errorf("ETag = %q, want the unquoted MD5 %q", got, want)
	}
	if aws.ToInt64(out.ObjectSize) != int64(len(body)) || out.StorageClass != types.StorageClassStandard {
		t.Errorf("size %d, class %q", aws.ToInt64(out.ObjectSize), out.StorageClass)
	}
	if out.Checksum == nil || aws.ToString(out.Checksum.ChecksumCRC32) != crc32B64(body) || out.Checksum.ChecksumType != types.ChecksumTypeFullObject {
		t.Errorf("Checksum = %+v, want the CRC32 the SDK sent", out.Checksum)
	}
	if out.ObjectParts != nil {
		t.Errorf("a single-part object reported parts: %+v", out.ObjectParts)
	}
	if out.LastModified == nil {
		t.Error("no Last-Modified")
	}

	// Only what was asked for.
	out, err = e.client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs"), Key: aws.String("single"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectSize}})
	if err != nil || out.ETag != nil || out.Checksum != nil || out.StorageClass != "" || aws.ToInt64(out.ObjectSize) != int64(len(body)) {
		t.Errorf("ObjectSize only: %+v %v", out, err)
	}

	// A multipart object: parts with sizes and checksums, paged.
	pieces := [][]byte{randomBytes(5*mib, 1), randomBytes(5*mib, 2), []byte("tail")}
	cr, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("attrs"), Key: aws.String("multi"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	for i, p := range pieces {
		up, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("attrs"), Key: aws.String("multi"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: up.ETag, ChecksumCRC32: up.ChecksumCRC32})
	}
	if _, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("attrs"), Key: aws.String("multi"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		t.Fatal(err)
	}
	out, err = e.client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs"), Key: aws.String("multi"),
		ObjectAttributes: allAttributes, MaxParts: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	op := out.ObjectParts
	if op == nil || aws.ToInt32(op.TotalPartsCount) != 3 || len(op.Parts) != 2 || !aws.ToBool(op.IsTruncated) || aws.ToString(op.NextPartNumberMarker) != "2" {
		t.Fatalf("ObjectParts page 1 = %+v", op)
	}
	for i, p := range op.Parts {
		if aws.ToInt64(p.Size) != int64(len(pieces[i])) || aws.ToString(p.ChecksumCRC32) != crc32B64(pieces[i]) || aws.ToInt32(p.PartNumber) != int32(i+1) {
			t.Errorf("part %d = %+v", i+1, p)
		}
	}
	if out.ETag == nil || !strings.HasSuffix(aws.ToString(out.ETag), "-3") || out.Checksum.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("multipart ETag %q, checksum %+v", aws.ToString(out.ETag), out.Checksum)
	}
	out, err = e.client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs"), Key: aws.String("multi"),
		ObjectAttributes: []types.ObjectAttributes{types.ObjectAttributesObjectParts}, PartNumberMarker: aws.String("2")})
	if err != nil || len(out.ObjectParts.Parts) != 1 || aws.ToInt32(out.ObjectParts.Parts[0].PartNumber) != 3 || aws.ToBool(out.ObjectParts.IsTruncated) {
		t.Errorf("ObjectParts after marker 2 = %+v %v", out.ObjectParts, err)
	}

	// Errors.
	_, err = e.client.GetObjectAttributes(ctx, &s3.GetObjectAttributesInput{Bucket: aws.String("attrs"), Key: aws.String("missing"), ObjectAttributes: allAttributes})
	if code, _ := apiErr(t, err); code != "NoSuchKey" {
		t.Errorf("missing key = %s", code)
	}
	wantError(t, e.do(t, http.MethodGet, "/attrs/single?attributes", nil, nil), 400, "InvalidArgument")
	wantError(t, e.do(t, http.MethodGet, "/attrs/single?attributes", nil, map[string]string{"x-amz-object-attributes": "ETag,Colour"}), 400, "InvalidArgument")
}

package s3_test

import (
	"bytes"
	"context"
	"maps"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// copySource builds x-amz-copy-source the way the SDK documentation asks:
// bucket/key with the key URL-encoded.
func copySource(bucket, key string) *string {
	return aws.String(bucket + "/" + url.PathEscape(key))
}

func TestCopyObject(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "src")
	mustCreateBucket(t, e, "dst")
	body := []byte("copy me, please")
	srcKey := "dir/with space+plus/ünï.txt"
	_, err := e.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("src"), Key: aws.String(srcKey), Body: bytes.NewReader(body),
		ContentType: aws.String("text/plain"), CacheControl: aws.String("max-age=5"),
		ContentDisposition: aws.String("attachment"), Metadata: map[string]string{"a": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}

	// COPY (the default directive) keeps the source's headers.
	out, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("dst"), Key: aws.String("copied.txt"), CopySource: copySource("src", srcKey),
	})
	if err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	res := out.CopyObjectResult
	if res == nil || aws.ToString(res.ETag) != md5ETag(body) || res.LastModified == nil || time.Since(*res.LastModified) > time.Minute {
		t.Fatalf("CopyObjectResult = %+v", res)
	}
	if aws.ToString(res.ChecksumCRC32) != crc32B64(body) {
		t.Errorf("CopyObjectResult checksum = %q, want the source's CRC32", aws.ToString(res.ChecksumCRC32))
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copied.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "text/plain" || aws.ToString(head.CacheControl) != "max-age=5" ||
		aws.ToString(head.ContentDisposition) != "attachment" || !maps.Equal(head.Metadata, map[string]string{"a": "1"}) {
		t.Errorf("COPY directive headers = %q %q %q %v", aws.ToString(head.ContentType), aws.ToString(head.CacheControl), aws.ToString(head.ContentDisposition), head.Metadata)
	}
	if got := mustGetBody(t, e, "dst", "copied.txt"); !bytes.Equal(got, body) {
		t.Errorf("copied body = %q", got)
	}

	// REPLACE takes the request's headers; the source's "null" version is
	// the object of an unversioned bucket, and a leading slash is accepted.
	_, err = e.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("dst"), Key: aws.String("replaced.txt"),
		CopySource:        aws.String("/src/" + url.PathEscape(srcKey) + "?versionId=null"),
		MetadataDirective: types.MetadataDirectiveReplace,
		ContentType:       aws.String("application/json"), Metadata: map[string]string{"b": "2"},
	})
	if err != nil {
		t.Fatalf("CopyObject REPLACE: %v", err)
	}
	head, err = e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("replaced.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "application/json" || head.CacheControl != nil || !maps.Equal(head.Metadata, map[string]string{"b": "2"}) {
		t.Errorf("REPLACE directive headers = %q %v %v", aws.ToString(head.ContentType), head.CacheControl, head.Metadata)
	}

	// Copy onto itself: only with REPLACE (S3 refuses a no-op copy).
	_, err = e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String(srcKey), CopySource: copySource("src", srcKey)})
	if code, status := apiErr(t, err); code != "InvalidRequest" || status != 400 {
		t.Errorf("copy to self without REPLACE = %s/%d, want InvalidRequest/400", code, status)
	}
	_, err = e.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("src"), Key: aws.String(srcKey), CopySource: copySource("src", srcKey),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"a": "updated"},
	})
	if err != nil {
		t.Fatalf("copy to self with REPLACE: %v", err)
	}
	head, err = e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("src"), Key: aws.String(srcKey)})
	if err != nil || head.Metadata["a"] != "updated" || aws.ToString(head.ETag) != md5ETag(body) {
		t.Errorf("after self-copy: %v %v %s", err, head.Metadata, aws.ToString(head.ETag))
	}

	// A later change to the source does not show through the copy.
	mustPut(t, e, "src", srcKey, []byte("changed"))
	if got := mustGetBody(t, e, "dst", "copied.txt"); !bytes.Equal(got, body) {
		t.Errorf("copy changed with its source: %q", got)
	}

	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	errCases := []struct {
		name   string
		in     *s3.CopyObjectInput
		code   string
		status int
	}{
		{"missing source key", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", "nope")}, "NoSuchKey", 404},
		{"missing source bucket", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("nosrc", "k")}, "NoSuchBucket", 404},
		{"missing destination bucket", &s3.CopyObjectInput{Bucket: aws.String("nodst"), Key: aws.String("x"), CopySource: copySource("src", srcKey)}, "NoSuchBucket", 404},
		{"source without key", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: aws.String("src")}, "InvalidArgument", 400},
		{"bad directive", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", srcKey), MetadataDirective: "MERGE"}, "InvalidArgument", 400},
		{"if-match", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", srcKey), CopySourceIfMatch: aws.String(`"0"`)}, "PreconditionFailed", 412},
		{"if-none-match", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", srcKey), CopySourceIfNoneMatch: aws.String(md5ETag([]byte("changed")))}, "PreconditionFailed", 412},
		{"if-modified-since", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", srcKey), CopySourceIfModifiedSince: &future}, "PreconditionFailed", 412},
		{"if-unmodified-since", &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("x"), CopySource: copySource("src", srcKey), CopySourceIfUnmodifiedSince: &past}, "PreconditionFailed", 412},
	}
	for _, c := range errCases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.client.CopyObject(ctx, c.in)
			if code, status := apiErr(t, err); code != c.code || status != c.status {
				t.Errorf("got %s/%d, want %s/%d (%v)", code, status, c.code, c.status, err)
			}
		})
	}
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("x")}); err == nil {
		t.Error("a failed copy created its destination")
	}

	// Matching conditions let the copy through; a new checksum algorithm
	// is computed over the copied bytes.
	out, err = e.client.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("dst"), Key: aws.String("cond"), CopySource: copySource("src", srcKey),
		CopySourceIfMatch: aws.String(md5ETag([]byte("changed"))), CopySourceIfModifiedSince: &past,
		ChecksumAlgorithm: types.ChecksumAlgorithmSha1,
	})
	if err != nil {
		t.Fatalf("conditional copy: %v", err)
	}
	if aws.ToString(out.CopyObjectResult.ChecksumSHA1) == "" {
		t.Errorf("copy with ChecksumAlgorithm SHA1 returned no SHA1: %+v", out.CopyObjectResult)
	}
}

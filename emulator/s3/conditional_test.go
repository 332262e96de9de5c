package s3_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestConditionalRequestsSDK drives the GET/HEAD preconditions through the
// SDK, which surfaces 304 and 412 as API errors with those codes.
func TestConditionalRequestsSDK(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "cond")
	body := []byte("conditional")
	mustPut(t, e, "cond", "k", body)
	etag := md5ETag(body)
	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)

	cases := []struct {
		name   string
		in     s3.GetObjectInput
		code   string // "" for success
		status int
	}{
		{"If-Match current", s3.GetObjectInput{IfMatch: aws.String(etag)}, "", 200},
		{"If-Match other", s3.GetObjectInput{IfMatch: aws.String(`"x"`)}, "PreconditionFailed", 412},
		{"If-None-Match current", s3.GetObjectInput{IfNoneMatch: aws.String(etag)}, "NotModified", 304},
		{"If-None-Match other", s3.GetObjectInput{IfNoneMatch: aws.String(`"x"`)}, "", 200},
		{"If-Modified-Since past", s3.GetObjectInput{IfModifiedSince: &past}, "", 200},
		{"If-Modified-Since future", s3.GetObjectInput{IfModifiedSince: &future}, "NotModified", 304},
		{"If-Unmodified-Since future", s3.GetObjectInput{IfUnmodifiedSince: &future}, "", 200},
		{"If-Unmodified-Since past", s3.GetObjectInput{IfUnmodifiedSince: &past}, "PreconditionFailed", 412},
		// RFC 9110 order: a matching If-Match overrides If-Unmodified-Since,
		// a failing If-None-Match overrides If-Modified-Since.
		{"If-Match wins over If-Unmodified-Since", s3.GetObjectInput{IfMatch: aws.String(etag), IfUnmodifiedSince: &past}, "", 200},
		{"If-None-Match wins over If-Modified-Since", s3.GetObjectInput{IfNoneMatch: aws.String(`"x"`), IfModifiedSince: &future}, "", 200},
		{"Range with If-Match", s3.GetObjectInput{IfMatch: aws.String(etag), Range: aws.String("bytes=0-3")}, "", 206},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.Bucket, in.Key = aws.String("cond"), aws.String("k")
			out, err := e.client.GetObject(ctx, &in)
			if c.code != "" {
				if code, status := apiErr(t, err); code != c.code || status != c.status {
					t.Errorf("got %s/%d, want %s/%d", code, status, c.code, c.status)
				}
				return
			}
			if err != nil {
				t.Fatalf("GetObject: %v", err)
			}
			defer out.Body.Close()
			want := body
			if c.status == 206 {
				want = body[:4]
			}
			var got bytes.Buffer
			if _, err := got.ReadFrom(out.Body); err != nil || !bytes.Equal(got.Bytes(), want) {
				t.Errorf("body = %q, %v; want %q", got.Bytes(), err, want)
			}
		})
	}
}

package s3_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

func tagList(m map[string]string) []types.Tag {
	var out []types.Tag
	for k, v := range m {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return out
}

func getTags(t *testing.T, e *env, bucket, key string) map[string]string {
	t.Helper()
	out, err := e.client.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObjectTagging %s/%s: %v", bucket, key, err)
	}
	return tagMap(out.TagSet)
}

func TestObjectTagging(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "tags")

	// x-amz-tagging on PutObject, URL-encoded.
	if _, err := e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tags"), Key: aws.String("obj"),
		Body: strings.NewReader("data"), Tagging: aws.String("project=cool%20room&tier=a%2Bb")}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"project": "cool room", "tier": "a+b"}
	if got := getTags(t, e, "tags", "obj"); !maps.Equal(got, want) {
		t.Fatalf("tags from x-amz-tagging = %v, want %v", got, want)
	}
	get, err := e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tags"), Key: aws.String("obj")})
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	if aws.ToInt32(get.TagCount) != 2 {
		t.Errorf("GetObject TagCount = %d, want 2", aws.ToInt32(get.TagCount))
	}

	// PutObjectTagging replaces the whole set; the object is unchanged.
	head, _ := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tags"), Key: aws.String("obj")})
	want = map[string]string{"env": "dev", "owner": "alice@example.com", "empty": ""}
	if _, err := e.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj"),
		Tagging: &types.Tagging{TagSet: tagList(want)}}); err != nil {
		t.Fatalf("PutObjectTagging: %v", err)
	}
	if got := getTags(t, e, "tags", "obj"); !maps.Equal(got, want) {
		t.Fatalf("tags = %v, want %v", got, want)
	}
	after, _ := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tags"), Key: aws.String("obj")})
	if aws.ToString(after.ETag) != aws.ToString(head.ETag) || !aws.ToTime(after.LastModified).Equal(aws.ToTime(head.LastModified)) {
		t.Errorf("tagging changed the object: %v/%v -> %v/%v", head.ETag, head.LastModified, after.ETag, after.LastModified)
	}
	if string(mustGetBody(t, e, "tags", "obj")) != "data" {
		t.Error("tagging changed the body")
	}

	// CopyObject copies tags by default, replaces them with REPLACE.
	if _, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("tags"), Key: aws.String("copy"), CopySource: aws.String("tags/obj")}); err != nil {
		t.Fatal(err)
	}
	if got := getTags(t, e, "tags", "copy"); !maps.Equal(got, want) {
		t.Errorf("copied tags = %v, want %v", got, want)
	}
	if _, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("tags"), Key: aws.String("copy2"), CopySource: aws.String("tags/obj"),
		TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("new=1")}); err != nil {
		t.Fatal(err)
	}
	if got := getTags(t, e, "tags", "copy2"); !maps.Equal(got, map[string]string{"new": "1"}) {
		t.Errorf("REPLACE tags = %v", got)
	}

	// CreateMultipartUpload's x-amz-tagging reaches the object.
	id, part := startUpload(t, e, &s3.CreateMultipartUploadInput{Bucket: aws.String("tags"), Key: aws.String("mp"), Tagging: aws.String("from=mpu")}, []byte("part"))
	if _, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("tags"), Key: aws.String("mp"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part}}}); err != nil {
		t.Fatal(err)
	}
	if got := getTags(t, e, "tags", "mp"); !maps.Equal(got, map[string]string{"from": "mpu"}) {
		t.Errorf("multipart tags = %v", got)
	}

	// DeleteObjectTagging empties the set (204).
	if _, err := e.client.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("obj")}); err != nil {
		t.Fatal(err)
	}
	if got := getTags(t, e, "tags", "obj"); len(got) != 0 {
		t.Errorf("tags after delete = %v", got)
	}
	if res := e.do(t, http.MethodDelete, "/tags/copy?tagging", nil, nil); res.status != http.StatusNoContent {
		t.Errorf("DeleteObjectTagging status = %d, want 204", res.status)
	}

	// A missing key is NoSuchKey for all three.
	_, err = e.client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("nope")})
	if code, status := apiErr(t, err); code != "NoSuchKey" || status != 404 {
		t.Errorf("GetObjectTagging of a missing key = %s/%d", code, status)
	}
	_, err = e.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("tags"), Key: aws.String("nope"), Tagging: &types.Tagging{TagSet: []types.Tag{}}})
	if code, _ := apiErr(t, err); code != "NoSuchKey" {
		t.Errorf("PutObjectTagging of a missing key = %s", code)
	}
}

func TestTaggingLimits(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "limits")
	mustPut(t, e, "limits", "obj", []byte("x"))

	many := func(n int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[fmt.Sprintf("k%d", i)] = "v"
		}
		return m
	}
	putObj := func(m map[string]string) error {
		_, err := e.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("limits"), Key: aws.String("obj"), Tagging: &types.Tagging{TagSet: tagList(m)}})
		return err
	}
	putBucket := func(tags []types.Tag) error {
		_, err := e.client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("limits"), Tagging: &types.Tagging{TagSet: tags}})
		return err
	}
	ok := []map[string]string{many(10), {strings.Repeat("k", 128): strings.Repeat("v", 256)}, {"ünï cödé +-=._:/@": "välue"}}
	for _, m := range ok {
		if err := putObj(m); err != nil {
			t.Errorf("valid object tag set %v refused: %v", m, err)
		}
	}
	bad := map[string]map[string]string{
		"11 tags":          many(11),
		"key of 129":       {strings.Repeat("k", 129): "v"},
		"value of 257":     {"k": strings.Repeat("v", 257)},
		"aws: prefix":      {"aws:reserved": "v"},
		"bad character":    {"semi;colon": "v"},
		"empty key":        {"": "v"},
		"value character ": {"k": "a<b"},
	}
	for name, m := range bad {
		if code, status := apiErr(t, putObj(m)); code != "InvalidTag" || status != 400 {
			t.Errorf("%s: %s/%d, want InvalidTag/400", name, code, status)
		}
	}
	if got := getTags(t, e, "limits", "obj"); !maps.Equal(got, ok[len(ok)-1]) {
		t.Errorf("refused tag sets changed the tags: %v", got)
	}
	dup := []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("a"), Value: aws.String("2")}}
	_, err := e.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("limits"), Key: aws.String("obj"), Tagging: &types.Tagging{TagSet: dup}})
	if code, _ := apiErr(t, err); code != "InvalidTag" {
		t.Errorf("duplicate keys = %s, want InvalidTag", code)
	}
	if code, _ := apiErr(t, putBucket(dup)); code != "InvalidTag" {
		t.Errorf("duplicate bucket keys = %s, want InvalidTag", code)
	}

	// x-amz-tagging is held to the same limits, and to its encoding.
	for tagging, want := range map[string]string{
		"a=1&a=2": "InvalidArgument",
		"a=%zz":   "InvalidArgument",
		"k1=1&k2=2&k3=3&k4=4&k5=5&k6=6&k7=7&k8=8&k9=9&k10=10&k11=11": "InvalidTag",
	} {
		_, err := e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("limits"), Key: aws.String("hdr"), Body: strings.NewReader("x"), Tagging: aws.String(tagging)})
		if code, status := apiErr(t, err); code != want || status != 400 {
			t.Errorf("x-amz-tagging %q = %s/%d, want %s/400", tagging, code, status, want)
		}
	}
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("limits"), Key: aws.String("hdr")}); err == nil {
		t.Error("a refused x-amz-tagging stored the object")
	}

	// Buckets take 50 tags, not 51.
	if err := putBucket(tagList(many(50))); err != nil {
		t.Errorf("50 bucket tags refused: %v", err)
	}
	if code, status := apiErr(t, putBucket(tagList(many(51)))); code != "InvalidTag" || status != 400 {
		t.Errorf("51 bucket tags = %s/%d, want InvalidTag/400", code, status)
	}
	// A document without TagSet is malformed.
	res := e.do(t, http.MethodPut, "/limits/obj?tagging", []byte("<Tagging></Tagging>"), nil)
	wantError(t, res, 400, "MalformedXML")
}

func TestBucketTagging(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "btags")

	_, err := e.client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	if code, status := apiErr(t, err); code != "NoSuchTagSet" || status != 404 {
		t.Fatalf("GetBucketTagging without tags = %s/%d, want NoSuchTagSet/404", code, status)
	}
	want := map[string]string{"team": "web", "cost-center": "42"}
	if _, err := e.client.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("btags"), Tagging: &types.Tagging{TagSet: tagList(want)}}); err != nil {
		t.Fatalf("PutBucketTagging: %v", err)
	}
	out, err := e.client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	if err != nil || !maps.Equal(tagMap(out.TagSet), want) {
		t.Fatalf("GetBucketTagging = %v, %v; want %v", out, err, want)
	}
	if _, err := e.client.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: aws.String("btags")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("btags")})
	if code, _ := apiErr(t, err); code != "NoSuchTagSet" {
		t.Errorf("after DeleteBucketTagging: %s, want NoSuchTagSet", code)
	}
	_, err = e.client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String("missing-bucket")})
	if code, _ := apiErr(t, err); code != "NoSuchBucket" {
		t.Errorf("missing bucket: %s, want NoSuchBucket", code)
	}
}

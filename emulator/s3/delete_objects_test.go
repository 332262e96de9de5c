package s3_test

import (
	"context"
	"crypto/md5"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestDeleteObjects(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "multi")
	keys := []string{"a", "b c", "d+e", "f/ü", "g"}
	for _, k := range keys {
		mustPut(t, e, "multi", k, []byte(k))
	}
	ids := func(keys ...string) []types.ObjectIdentifier {
		var out []types.ObjectIdentifier
		for _, k := range keys {
			out = append(out, types.ObjectIdentifier{Key: aws.String(k)})
		}
		return out
	}

	// Verbose mode lists every key, existing or not.
	out, err := e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String("multi"),
		Delete: &types.Delete{Objects: ids("a", "b c", "never-existed")},
	})
	if err != nil {
		t.Fatalf("DeleteObjects: %v", err)
	}
	var deleted []string
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	if !slices.Equal(deleted, []string{"a", "b c", "never-existed"}) || len(out.Errors) != 0 {
		t.Errorf("Deleted = %q, Errors = %+v", deleted, out.Errors)
	}

	// Quiet mode reports only the per-key errors.
	withVersion := ids("d+e", "f/ü", strings.Repeat("k", 1025))
	withVersion = append(withVersion, types.ObjectIdentifier{Key: aws.String("g"), VersionId: aws.String("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")})
	out, err = e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String("multi"),
		Delete: &types.Delete{Objects: withVersion, Quiet: aws.Bool(true)},
	})
	if err != nil {
		t.Fatalf("quiet DeleteObjects: %v", err)
	}
	if len(out.Deleted) != 0 {
		t.Errorf("quiet mode listed deletions: %+v", out.Deleted)
	}
	var codes []string
	for _, e := range out.Errors {
		codes = append(codes, aws.ToString(e.Code))
	}
	if !slices.Equal(codes, []string{"KeyTooLongError", "NoSuchVersion"}) {
		t.Errorf("per-key error codes = %q", codes)
	}
	if aws.ToString(out.Errors[1].Key) != "g" || aws.ToString(out.Errors[1].Message) == "" {
		t.Errorf("per-key error = %+v", out.Errors[1])
	}
	if got := listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("multi")}); !slices.Equal(got[0], []string{"g"}) {
		t.Errorf("left after DeleteObjects: %q, want [g]", got[0])
	}

	// Whole-request failures.
	_, err = e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("nobucket"), Delete: &types.Delete{Objects: ids("a")}})
	if code, status := apiErr(t, err); code != "NoSuchBucket" || status != 404 {
		t.Errorf("DeleteObjects on a missing bucket = %s/%d", code, status)
	}
	many := make([]string, 1001)
	for i := range many {
		many[i] = "k"
	}
	_, err = e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("multi"), Delete: &types.Delete{Objects: ids(many...)}})
	if code, status := apiErr(t, err); code != "MalformedXML" || status != 400 {
		t.Errorf("DeleteObjects with 1001 keys = %s/%d", code, status)
	}

	// Raw: S3 requires an integrity header, and checks it.
	doc := []byte(`<Delete><Object><Key>g</Key></Object></Delete>`)
	wantError(t, e.do(t, http.MethodPost, "/multi?delete", doc, nil), 400, "InvalidRequest")
	wantError(t, e.do(t, http.MethodPost, "/multi?delete", doc, map[string]string{"Content-MD5": b64(make([]byte, 16))}), 400, "BadDigest")
	sum := md5.Sum(doc)
	if res := e.do(t, http.MethodPost, "/multi?delete", doc, map[string]string{"Content-MD5": b64(sum[:])}); res.status != 200 || !strings.Contains(string(res.body), "<Deleted><Key>g</Key></Deleted>") {
		t.Errorf("raw DeleteObjects = %d %s", res.status, res.body)
	}
	// (The SDK refuses an empty key list itself.)
	empty := []byte("<Delete></Delete>")
	wantError(t, e.do(t, http.MethodPost, "/multi?delete", empty, map[string]string{"x-amz-checksum-crc32": crc32B64(empty)}), 400, "MalformedXML")
	wantError(t, e.do(t, http.MethodPost, "/multi?delete", []byte("not xml"), map[string]string{"x-amz-checksum-crc32": crc32B64([]byte("not xml"))}), 400, "MalformedXML")
}

package s3_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func setVersioning(t *testing.T, e *env, bucket string, status types.BucketVersioningStatus) {
	t.Helper()
	if _, err := e.client.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &types.VersioningConfiguration{Status: status}}); err != nil {
		t.Fatalf("PutBucketVersioning %s: %v", status, err)
	}
}

func getVersion(t *testing.T, e *env, bucket, key, version string) (string, error) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	out, err := e.client.GetObject(context.Background(), in)
	if err != nil {
		return "", err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	return string(b), err
}

// versionRow is one entry of ListObjectVersions in a comparable form.
type versionRow struct {
	key, id string
	latest  bool
	marker  bool
}

// listVersions pages through ListObjectVersions with the given page size
// and returns every version and delete marker in listing order (S3
// interleaves them by key, newest first; the SDK separates the two lists,
// so they are merged back by the order of keys and ids).
func listVersions(t *testing.T, e *env, bucket string, pageSize int32) []versionRow {
	t.Helper()
	var rows []versionRow
	in := &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(pageSize)}
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("ListObjectVersions does not terminate")
		}
		out, err := e.client.ListObjectVersions(context.Background(), in)
		if err != nil {
			t.Fatalf("ListObjectVersions: %v", err)
		}
		if n := len(out.Versions) + len(out.DeleteMarkers); n > int(pageSize) {
			t.Fatalf("page of %d entries with max-keys %d", n, pageSize)
		}
		for _, v := range out.Versions {
			rows = append(rows, versionRow{aws.ToString(v.Key), aws.ToString(v.VersionId), aws.ToBool(v.IsLatest), false})
		}
		for _, m := range out.DeleteMarkers {
			rows = append(rows, versionRow{aws.ToString(m.Key), aws.ToString(m.VersionId), aws.ToBool(m.IsLatest), true})
		}
		if !aws.ToBool(out.IsTruncated) {
			return rows
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
}

func TestVersioningLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "vers")

	got, err := e.client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")})
	if err != nil || got.Status != "" {
		t.Fatalf("GetBucketVersioning of a new bucket = %q, %v; want no status", got.Status, err)
	}
	// An object from before versioning becomes the "null" version; until
	// then there is no version id at all.
	if v0 := mustPut(t, e, "vers", "doc", []byte("v0")); v0.VersionId != nil {
		t.Errorf("PutObject in a bucket never versioned reported version %q", aws.ToString(v0.VersionId))
	}
	if head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc")}); err != nil || head.VersionId != nil {
		t.Errorf("HeadObject in a bucket never versioned: %v, %v", head, err)
	}
	setVersioning(t, e, "vers", types.BucketVersioningStatusEnabled)
	if got, _ := e.client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")}); got.Status != types.BucketVersioningStatusEnabled {
		t.Fatalf("status = %q, want Enabled", got.Status)
	}

	v1 := mustPut(t, e, "vers", "doc", []byte("v1"))
	v2 := mustPut(t, e, "vers", "doc", []byte("v2"))
	id1, id2 := aws.ToString(v1.VersionId), aws.ToString(v2.VersionId)
	if id1 == "" || id2 == "" || id1 == id2 || id1 == "null" {
		t.Fatalf("PutObject version ids %q, %q: want two distinct ids", id1, id2)
	}
	for version, want := range map[string]string{"": "v2", id1: "v1", id2: "v2", "null": "v0"} {
		if body, err := getVersion(t, e, "vers", "doc", version); err != nil || body != want {
			t.Errorf("GetObject versionId=%q = %q, %v; want %q", version, body, err, want)
		}
	}
	// The object from before versioning reports the "null" version now.
	if head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc"), VersionId: aws.String("null")}); err != nil {
		t.Errorf("HeadObject of the pre-versioning object: %v", err)
	} else if aws.ToString(head.VersionId) != "null" {
		t.Errorf("HeadObject of the pre-versioning object: version %q, want null", aws.ToString(head.VersionId))
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc"), VersionId: aws.String(id1)})
	if err != nil || aws.ToString(head.VersionId) != id1 || aws.ToInt64(head.ContentLength) != 2 {
		t.Errorf("HeadObject by version = %v, %v", head, err)
	}

	// Deleting without a version adds a delete marker.
	del, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc")})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) == "" {
		t.Fatalf("DeleteObject = %+v, %v; want a delete marker", del, err)
	}
	marker := aws.ToString(del.VersionId)
	_, err = getVersion(t, e, "vers", "doc", "")
	var nsk *types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Errorf("GetObject behind a delete marker = %v, want NoSuchKey", err)
	}
	res := e.do(t, http.MethodGet, "/vers/doc", nil, nil)
	if res.status != 404 || res.header.Get("X-Amz-Delete-Marker") != "true" || res.header.Get("X-Amz-Version-Id") != marker {
		t.Errorf("GET behind a delete marker: %d, marker header %q, version %q", res.status, res.header.Get("X-Amz-Delete-Marker"), res.header.Get("X-Amz-Version-Id"))
	}
	if res := e.do(t, http.MethodGet, "/vers/doc?versionId="+marker, nil, nil); res.status != http.StatusMethodNotAllowed || res.header.Get("X-Amz-Delete-Marker") != "true" {
		t.Errorf("GET of the delete marker by id = %d, want 405 with x-amz-delete-marker", res.status)
	}
	if body, err := getVersion(t, e, "vers", "doc", id1); err != nil || body != "v1" {
		t.Errorf("old version behind the marker = %q, %v", body, err)
	}
	list, _ := e.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vers")})
	if len(list.Contents) != 0 {
		t.Errorf("ListObjectsV2 shows a deleted key: %v", list.Contents)
	}

	want := []versionRow{{"doc", id2, false, false}, {"doc", id1, false, false}, {"doc", "null", false, false}, {"doc", marker, true, true}}
	if rows := listVersions(t, e, "vers", 1000); !slices.Equal(rows, want) {
		t.Errorf("ListObjectVersions = %+v, want %+v", rows, want)
	}

	// Removing the delete marker by id restores the object; removing the
	// newest version makes the previous one current.
	del, err = e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc"), VersionId: aws.String(marker)})
	if err != nil || !aws.ToBool(del.DeleteMarker) || aws.ToString(del.VersionId) != marker {
		t.Fatalf("deleting the marker = %+v, %v", del, err)
	}
	if body, _ := getVersion(t, e, "vers", "doc", ""); body != "v2" {
		t.Errorf("after removing the marker: %q, want v2", body)
	}
	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("doc"), VersionId: aws.String(id2)}); err != nil {
		t.Fatal(err)
	}
	if body, _ := getVersion(t, e, "vers", "doc", ""); body != "v1" {
		t.Errorf("after removing the newest version: %q, want v1", body)
	}

	// Unknown and malformed version ids.
	_, err = getVersion(t, e, "vers", "doc", id2)
	if code, status := apiErr(t, err); code != "NoSuchVersion" || status != 404 {
		t.Errorf("removed version = %s/%d, want NoSuchVersion/404", code, status)
	}
	wantError(t, e.do(t, http.MethodGet, "/vers/doc?versionId=not-an-id", nil, nil), 400, "InvalidArgument")

	// Suspended: writes replace the null version, older versions stay.
	setVersioning(t, e, "vers", types.BucketVersioningStatusSuspended)
	s1 := mustPut(t, e, "vers", "doc", []byte("s1"))
	if aws.ToString(s1.VersionId) != "null" {
		t.Errorf("PutObject while suspended: version %q, want null", aws.ToString(s1.VersionId))
	}
	mustPut(t, e, "vers", "doc", []byte("s2"))
	want = []versionRow{{"doc", "null", true, false}, {"doc", id1, false, false}}
	if rows := listVersions(t, e, "vers", 1000); !slices.Equal(rows, want) {
		t.Errorf("after suspended writes: %+v, want %+v", rows, want)
	}
	if body, _ := getVersion(t, e, "vers", "doc", "null"); body != "s2" {
		t.Errorf("null version = %q, want s2", body)
	}
}

func TestVersioningCleanupAndListing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "cleanup")
	setVersioning(t, e, "cleanup", types.BucketVersioningStatusEnabled)
	for i := range 3 {
		for _, k := range []string{"a.txt", "dir/b.txt", "dir/c.txt", "z.txt"} {
			mustPut(t, e, "cleanup", k, fmt.Appendf(nil, "%s #%d", k, i))
		}
	}
	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("cleanup"), Key: aws.String("z.txt")}); err != nil {
		t.Fatal(err)
	}

	all := listVersions(t, e, "cleanup", 1000)
	if len(all) != 13 {
		t.Fatalf("%d versions listed, want 12 versions and 1 delete marker: %+v", len(all), all)
	}
	// Paging with every page size gives the same entries in the same
	// order.
	sortRows := func(rows []versionRow) []versionRow {
		rows = slices.Clone(rows)
		slices.SortFunc(rows, func(a, b versionRow) int { return strings.Compare(a.key+a.id, b.key+b.id) })
		return rows
	}
	for _, size := range []int32{1, 2, 5} {
		if rows := listVersions(t, e, "cleanup", size); !slices.Equal(sortRows(rows), sortRows(all)) {
			t.Errorf("page size %d listed %+v, want %+v", size, rows, all)
		}
	}
	// Delimiter: dir/ is one common prefix.
	out, err := e.client.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("cleanup"), Delimiter: aws.String("/")})
	if err != nil || len(out.CommonPrefixes) != 1 || aws.ToString(out.CommonPrefixes[0].Prefix) != "dir/" || len(out.Versions) != 6 {
		t.Errorf("delimiter listing: %d prefixes, %d versions, %v", len(out.CommonPrefixes), len(out.Versions), err)
	}

	// The bucket cannot be deleted while versions remain, even with no
	// current objects.
	for _, k := range []string{"a.txt", "dir/b.txt", "dir/c.txt"} {
		if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("cleanup"), Key: aws.String(k)}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("cleanup")})
	if code, _ := apiErr(t, err); code != "BucketNotEmpty" {
		t.Fatalf("DeleteBucket with versions left = %s, want BucketNotEmpty", code)
	}

	// The clean-up tools do: list every version, delete them by id.
	var ids []types.ObjectIdentifier
	for _, r := range listVersions(t, e, "cleanup", 1000) {
		ids = append(ids, types.ObjectIdentifier{Key: aws.String(r.key), VersionId: aws.String(r.id)})
	}
	del, err := e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("cleanup"), Delete: &types.Delete{Objects: ids}})
	if err != nil || len(del.Errors) != 0 || len(del.Deleted) != len(ids) {
		t.Fatalf("DeleteObjects by version: %v, %d errors, %d deleted of %d", err, len(del.Errors), len(del.Deleted), len(ids))
	}
	markers := 0
	for _, d := range del.Deleted {
		if aws.ToBool(d.DeleteMarker) {
			markers++
			if aws.ToString(d.DeleteMarkerVersionId) != aws.ToString(d.VersionId) {
				t.Errorf("deleted marker entry %+v", d)
			}
		}
	}
	if markers != 4 {
		t.Errorf("DeleteObjects reported %d delete markers, want 4", markers)
	}
	if rows := listVersions(t, e, "cleanup", 1000); len(rows) != 0 {
		t.Fatalf("versions left: %+v", rows)
	}
	if _, err := e.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("cleanup")}); err != nil {
		t.Fatalf("DeleteBucket after removing every version: %v", err)
	}
}

func TestVersionedCopyTaggingAndMultipart(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "vcopy")
	setVersioning(t, e, "vcopy", types.BucketVersioningStatusEnabled)
	old := aws.ToString(mustPut(t, e, "vcopy", "src", []byte("old")).VersionId)
	mustPut(t, e, "vcopy", "src", []byte("new"))

	cp, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vcopy"), Key: aws.String("dst"),
		CopySource: aws.String("vcopy/src?versionId=" + old)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(cp.CopySourceVersionId) != old || aws.ToString(cp.VersionId) == "" {
		t.Errorf("CopyObject version ids: source %q (want %q), new %q", aws.ToString(cp.CopySourceVersionId), old, aws.ToString(cp.VersionId))
	}
	if body := mustGetBody(t, e, "vcopy", "dst"); string(body) != "old" {
		t.Errorf("copy of an old version = %q", body)
	}

	// Tags belong to one version.
	if _, err := e.client.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("vcopy"), Key: aws.String("src"), VersionId: aws.String(old),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("gen"), Value: aws.String("old")}}}}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.client.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("vcopy"), Key: aws.String("src"), VersionId: aws.String(old)})
	if err != nil || !maps.Equal(tagMap(tags.TagSet), map[string]string{"gen": "old"}) || aws.ToString(tags.VersionId) != old {
		t.Errorf("tags of the old version = %v %v %v", tags, err, tags.VersionId)
	}
	if cur := getTags(t, e, "vcopy", "src"); len(cur) != 0 {
		t.Errorf("tagging the old version tagged the current one: %v", cur)
	}

	// A delete marker cannot be a copy source.
	del, _ := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vcopy"), Key: aws.String("src")})
	_, err = e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vcopy"), Key: aws.String("dst2"),
		CopySource: aws.String("vcopy/src?versionId=" + aws.ToString(del.VersionId))})
	if code, _ := apiErr(t, err); code != "InvalidRequest" {
		t.Errorf("copy from a delete marker = %s, want InvalidRequest", code)
	}

	// CompleteMultipartUpload creates a version, and a retry reports it.
	id, part := startUpload(t, e, &s3.CreateMultipartUploadInput{Bucket: aws.String("vcopy"), Key: aws.String("mp")}, []byte("mp"))
	in := &s3.CompleteMultipartUploadInput{Bucket: aws.String("vcopy"), Key: aws.String("mp"), UploadId: aws.String(id),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{part}}}
	done, err := e.client.CompleteMultipartUpload(ctx, in)
	if err != nil || aws.ToString(done.VersionId) == "" {
		t.Fatalf("CompleteMultipartUpload version = %v, %v", done, err)
	}
	again, err := e.client.CompleteMultipartUpload(ctx, in)
	if err != nil || aws.ToString(again.VersionId) != aws.ToString(done.VersionId) {
		t.Errorf("retried completion version = %v, %v", again, err)
	}
}

package s3_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// listAll pages through ListObjectsV2 and returns every page's keys and
// common prefixes.
func listAll(t *testing.T, e *env, in *s3.ListObjectsV2Input) (pages [][]string) {
	t.Helper()
	p := s3.NewListObjectsV2Paginator(e.client, in)
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListObjectsV2 page %d: %v", len(pages)+1, err)
		}
		var page []string
		for _, o := range out.Contents {
			page = append(page, aws.ToString(o.Key))
		}
		for _, cp := range out.CommonPrefixes {
			page = append(page, aws.ToString(cp.Prefix))
		}
		if int(aws.ToInt32(out.KeyCount)) != len(page) {
			t.Errorf("page %d KeyCount = %d but %d entries", len(pages)+1, aws.ToInt32(out.KeyCount), len(page))
		}
		if aws.ToBool(out.IsTruncated) != (out.NextContinuationToken != nil) {
			t.Errorf("page %d IsTruncated=%v but NextContinuationToken=%v", len(pages)+1, aws.ToBool(out.IsTruncated), out.NextContinuationToken)
		}
		pages = append(pages, page)
		if len(pages) > 20 {
			t.Fatal("paginator does not terminate")
		}
	}
	return pages
}

func TestListObjectsV2(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "listing")
	// Inserted out of order: the listing must sort.
	for _, k := range []string{"d.txt", "c/2.txt", "a.txt", "c/1.txt", "b.txt"} {
		mustPut(t, e, "listing", k, []byte(k))
	}
	eq := func(name string, got, want [][]string) {
		t.Helper()
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: pages = %q, want %q", name, got, want)
		}
	}

	eq("MaxKeys 2", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), MaxKeys: aws.Int32(2)}),
		[][]string{{"a.txt", "b.txt"}, {"c/1.txt", "c/2.txt"}, {"d.txt"}})

	out, err := e.client.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v", err)
	}
	if len(out.CommonPrefixes) != 1 || aws.ToString(out.CommonPrefixes[0].Prefix) != "c/" || len(out.Contents) != 3 || aws.ToInt32(out.KeyCount) != 4 {
		t.Errorf("delimiter listing: %d contents, prefixes %v, KeyCount %d", len(out.Contents), out.CommonPrefixes, aws.ToInt32(out.KeyCount))
	}
	first := out.Contents[0]
	if aws.ToString(first.ETag) != md5ETag([]byte("a.txt")) || aws.ToInt64(first.Size) != 5 ||
		first.LastModified == nil || first.StorageClass != types.ObjectStorageClassStandard {
		t.Errorf("entry a.txt = etag %s size %d modified %v class %q", aws.ToString(first.ETag), aws.ToInt64(first.Size), first.LastModified, first.StorageClass)
	}
	if len(first.ChecksumAlgorithm) != 1 || first.ChecksumAlgorithm[0] != types.ChecksumAlgorithmCrc32 {
		t.Errorf("entry ChecksumAlgorithm = %v, want [CRC32] (the SDK default)", first.ChecksumAlgorithm)
	}

	// A page ending on a common prefix must not repeat it.
	eq("delimiter + MaxKeys 2", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)}),
		[][]string{{"a.txt", "b.txt"}, {"d.txt", "c/"}})
	eq("MaxKeys 3 ending on prefix", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(3)}),
		[][]string{{"a.txt", "b.txt", "c/"}, {"d.txt"}})
	eq("prefix", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("c/")}),
		[][]string{{"c/1.txt", "c/2.txt"}})
	eq("prefix + delimiter", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("c"), Delimiter: aws.String("/")}),
		[][]string{{"c/"}})
	eq("start-after", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), StartAfter: aws.String("b.txt")}),
		[][]string{{"c/1.txt", "c/2.txt", "d.txt"}})
	eq("no match", listAll(t, e, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("zzz")}),
		[][]string{nil})
}

func TestListObjectsV1(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "legacy")
	for _, k := range []string{"a.txt", "b.txt", "c/1.txt", "c/2.txt", "d.txt"} {
		mustPut(t, e, "legacy", k, []byte(k))
	}
	out, err := e.client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("legacy"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
	if err != nil {
		t.Fatalf("ListObjects: %v", err)
	}
	if !aws.ToBool(out.IsTruncated) || aws.ToString(out.NextMarker) != "b.txt" || len(out.Contents) != 2 {
		t.Fatalf("page 1: truncated %v NextMarker %q contents %d", aws.ToBool(out.IsTruncated), aws.ToString(out.NextMarker), len(out.Contents))
	}
	out, err = e.client.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("legacy"), Delimiter: aws.String("/"), Marker: out.NextMarker})
	if err != nil {
		t.Fatalf("ListObjects page 2: %v", err)
	}
	if aws.ToBool(out.IsTruncated) || len(out.CommonPrefixes) != 1 || len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "d.txt" {
		t.Errorf("page 2: truncated %v prefixes %d contents %d", aws.ToBool(out.IsTruncated), len(out.CommonPrefixes), len(out.Contents))
	}
}

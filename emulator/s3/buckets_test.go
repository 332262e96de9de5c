package s3_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func bucketNames(t *testing.T, e *env) []string {
	t.Helper()
	out, err := e.client.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	return names
}

func TestBucketLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)

	if got := bucketNames(t, e); len(got) != 0 {
		t.Fatalf("fresh service lists buckets %v", got)
	}
	mustCreateBucket(t, e, "zeta")
	mustCreateBucket(t, e, "alpha")

	head, err := e.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
	if err != nil {
		t.Fatalf("HeadBucket: %v", err)
	}
	if got := aws.ToString(head.BucketRegion); got != "us-east-1" {
		t.Errorf("HeadBucket region = %q, want us-east-1", got)
	}
	if got := bucketNames(t, e); !slices.Equal(got, []string{"alpha", "zeta"}) {
		t.Errorf("ListBuckets = %v, want [alpha zeta] (sorted)", got)
	}

	// Re-creating a bucket you own in us-east-1 is a 200 that changes
	// nothing, as on S3 (legacy behaviour of that region only).
	mustPut(t, e, "alpha", "kept.txt", []byte("kept"))
	if _, err := e.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatalf("second CreateBucket in us-east-1 = %v, want success", err)
	}
	if got := mustGetBody(t, e, "alpha", "kept.txt"); string(got) != "kept" {
		t.Fatalf("re-creating the bucket changed its contents: %q", got)
	}
	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("kept.txt")}); err != nil {
		t.Fatal(err)
	}

	// In any other region it is the 409 the deployer must tolerate, typed
	// by the SDK.
	eu := newClient(t, e.srv.URL, "eu-west-1", nil)
	euCreate := &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}}
	if _, err := eu.CreateBucket(ctx, euCreate); err != nil {
		t.Fatalf("CreateBucket eu-west-1: %v", err)
	}
	_, err = eu.CreateBucket(ctx, euCreate)
	var owned *types.BucketAlreadyOwnedByYou
	if !errors.As(err, &owned) {
		t.Fatalf("second CreateBucket in eu-west-1 error = %v, want *types.BucketAlreadyOwnedByYou", err)
	}
	if _, status := apiErr(t, err); status != http.StatusConflict {
		t.Errorf("BucketAlreadyOwnedByYou status = %d, want 409", status)
	}
	if _, err := eu.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("eu-bucket")}); err != nil {
		t.Fatal(err)
	}

	mustPut(t, e, "alpha", "file.txt", []byte("x"))
	_, err = e.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	if code, status := apiErr(t, err); code != "BucketNotEmpty" || status != http.StatusConflict {
		t.Fatalf("DeleteBucket of non-empty bucket = %s/%d, want BucketNotEmpty/409", code, status)
	}

	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("file.txt")}); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	if _, err := e.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")}); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	_, err = e.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
	var notFound *types.NotFound
	if !errors.As(err, &notFound) {
		t.Fatalf("HeadBucket after delete error = %v, want *types.NotFound", err)
	}
	if got := bucketNames(t, e); !slices.Equal(got, []string{"zeta"}) {
		t.Errorf("ListBuckets after delete = %v, want [zeta]", got)
	}
	_, err = e.client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	if code, status := apiErr(t, err); code != "NoSuchBucket" || status != http.StatusNotFound {
		t.Errorf("DeleteBucket of missing bucket = %s/%d, want NoSuchBucket/404", code, status)
	}
}

func TestCreateBucketLocation(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)

	_, err := e.client.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket: aws.String("euro"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraintEuWest1,
		},
	})
	if err != nil {
		t.Fatalf("CreateBucket with LocationConstraint: %v", err)
	}
	loc, err := e.client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("euro")})
	if err != nil {
		t.Fatalf("GetBucketLocation: %v", err)
	}
	if loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Errorf("GetBucketLocation = %q, want eu-west-1", loc.LocationConstraint)
	}

	mustCreateBucket(t, e, "virginia")
	loc, err = e.client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("virginia")})
	if err != nil {
		t.Fatalf("GetBucketLocation: %v", err)
	}
	if loc.LocationConstraint != "" {
		t.Errorf("us-east-1 bucket location = %q, want empty (S3 convention)", loc.LocationConstraint)
	}

	// S3 rejects an explicit us-east-1 constraint.
	_, err = e.client.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket: aws.String("explicit-east"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint("us-east-1"),
		},
	})
	if code, _ := apiErr(t, err); code != "InvalidLocationConstraint" {
		t.Errorf("explicit us-east-1 constraint: code %s, want InvalidLocationConstraint", code)
	}

	// A regional client must state its region, as on AWS and LocalStack.
	euClient := newClient(t, e.srv.URL, "eu-central-1", nil)
	_, err = euClient.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("no-constraint")})
	if code, _ := apiErr(t, err); code != "IllegalLocationConstraintException" {
		t.Errorf("regional CreateBucket without constraint: code %s, want IllegalLocationConstraintException", code)
	}
	_, err = euClient.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket: aws.String("frankfurt"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraintEuCentral1,
		},
	})
	if err != nil {
		t.Fatalf("regional CreateBucket with matching constraint: %v", err)
	}
	head, err := euClient.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("frankfurt")})
	if err != nil {
		t.Fatalf("HeadBucket: %v", err)
	}
	if got := aws.ToString(head.BucketRegion); got != "eu-central-1" {
		t.Errorf("HeadBucket region = %q, want eu-central-1", got)
	}

	res := e.do(t, http.MethodPut, "/badxml", []byte("<CreateBucketConfiguration><LocationConstraint>"), nil)
	wantError(t, res, http.StatusBadRequest, "MalformedXML")
}

func TestInvalidBucketName(t *testing.T) {
	e := newEnv(t)
	invalid := []string{
		"ab",                      // too short
		strings.Repeat("a", 64),   // too long
		"UpperCase",               // upper case
		"under_score",             // underscore
		"-leading-hyphen",         // must start with alnum
		"trailing-hyphen-",        // must end with alnum
		".leading-dot",            // must start with alnum
		"double..dot",             // adjacent periods
		"192.168.10.20",           // IP address
		"xn--reserved-prefix",     // reserved prefix
		"reserved-suffix-s3alias", // reserved suffix
	}
	for _, name := range invalid {
		res := e.do(t, http.MethodPut, "/"+name, nil, nil)
		doc := wantError(t, res, http.StatusBadRequest, "InvalidBucketName")
		if doc.Resource != "/"+name {
			t.Errorf("%s: Resource = %q", name, doc.Resource)
		}
	}
	valid := []string{"abc", strings.Repeat("a", 63), "my.bucket-1", "1bucket9"}
	for _, name := range valid {
		if res := e.do(t, http.MethodPut, "/"+name, nil, nil); res.status != http.StatusOK {
			t.Errorf("valid name %q rejected: %d %s", name, res.status, res.body)
		}
	}

	// The SDK does not validate path-style bucket names, so the server's
	// answer reaches the caller.
	_, err := e.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
	if code, status := apiErr(t, err); code != "InvalidBucketName" || status != http.StatusBadRequest {
		t.Errorf("SDK CreateBucket Bad_Name = %s/%d, want InvalidBucketName/400", code, status)
	}
}

package s3_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// grantList renders grants as "<grantee>:<permission>" for comparison.
func grantList(grants []types.Grant) []string {
	var out []string
	for _, g := range grants {
		who := aws.ToString(g.Grantee.ID)
		if g.Grantee.Type == types.TypeGroup {
			who = aws.ToString(g.Grantee.URI)
		}
		out = append(out, string(g.Grantee.Type)+" "+who+":"+string(g.Permission))
	}
	return out
}

const (
	allUsers  = "http://acs.amazonaws.com/groups/global/AllUsers"
	authUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
)

func TestBucketAndObjectACLs(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "acls")

	acl, err := e.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if err != nil {
		t.Fatal(err)
	}
	ownerID := aws.ToString(acl.Owner.ID)
	owner := "CanonicalUser " + ownerID + ":FULL_CONTROL"
	if ownerID == "" || !slices.Equal(grantList(acl.Grants), []string{owner}) {
		t.Fatalf("new bucket ACL = %v (owner %q), want the owner's FULL_CONTROL", grantList(acl.Grants), ownerID)
	}

	// Canned ACLs on the bucket.
	for canned, want := range map[types.BucketCannedACL][]string{
		types.BucketCannedACLPublicRead:        {owner, "Group " + allUsers + ":READ"},
		types.BucketCannedACLPublicReadWrite:   {owner, "Group " + allUsers + ":READ", "Group " + allUsers + ":WRITE"},
		types.BucketCannedACLAuthenticatedRead: {owner, "Group " + authUsers + ":READ"},
		types.BucketCannedACLPrivate:           {owner},
	} {
		if _, err := e.client.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acls"), ACL: canned}); err != nil {
			t.Fatalf("PutBucketAcl %s: %v", canned, err)
		}
		got, err := e.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
		if err != nil || !slices.Equal(grantList(got.Grants), want) {
			t.Errorf("bucket ACL after %s = %v, %v; want %v", canned, grantList(got.Grants), err, want)
		}
	}

	// An explicit AccessControlPolicy body.
	policy := &types.AccessControlPolicy{Owner: &types.Owner{ID: aws.String(ownerID)}, Grants: []types.Grant{
		{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(ownerID)}, Permission: types.PermissionFullControl},
		{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(allUsers)}, Permission: types.PermissionReadAcp},
	}}
	if _, err := e.client.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acls"), AccessControlPolicy: policy}); err != nil {
		t.Fatalf("PutBucketAcl with a policy: %v", err)
	}
	got, _ := e.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if want := []string{owner, "Group " + allUsers + ":READ_ACP"}; !slices.Equal(grantList(got.Grants), want) {
		t.Errorf("bucket ACL from a policy = %v, want %v", grantList(got.Grants), want)
	}

	// Object ACLs: x-amz-acl on PutObject, PutObjectAcl, a copy starts
	// private.
	if _, err := e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("acls"), Key: aws.String("pub"),
		Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	objACL := func(key string) []string {
		t.Helper()
		out, err := e.client.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("acls"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectAcl %s: %v", key, err)
		}
		return grantList(out.Grants)
	}
	if want := []string{owner, "Group " + allUsers + ":READ"}; !slices.Equal(objACL("pub"), want) {
		t.Errorf("object ACL from x-amz-acl = %v, want %v", objACL("pub"), want)
	}
	if _, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("acls"), Key: aws.String("copy"), CopySource: aws.String("acls/pub")}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(objACL("copy"), []string{owner}) {
		t.Errorf("a copy took the source's ACL: %v", objACL("copy"))
	}
	if _, err := e.client.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("copy"),
		GrantRead: aws.String(`uri="` + authUsers + `"`)}); err != nil {
		t.Fatalf("PutObjectAcl with x-amz-grant-read: %v", err)
	}
	if want := []string{"Group " + authUsers + ":READ"}; !slices.Equal(objACL("copy"), want) {
		t.Errorf("object ACL from a grant header = %v, want %v", objACL("copy"), want)
	}

	// Refusals.
	_, err = e.client.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acls"), Key: aws.String("missing"), ACL: types.ObjectCannedACLPrivate})
	if code, _ := apiErr(t, err); code != "NoSuchKey" {
		t.Errorf("PutObjectAcl on a missing key = %s", code)
	}
	res := e.do(t, http.MethodPut, "/acls?acl", nil, map[string]string{"x-amz-acl": "world-writable"})
	wantError(t, res, 400, "InvalidArgument")
	res = e.do(t, http.MethodPut, "/acls?acl", nil, map[string]string{"x-amz-acl": "private", "x-amz-grant-read": `uri="` + allUsers + `"`})
	wantError(t, res, 400, "InvalidRequest")
	res = e.do(t, http.MethodPut, "/acls?acl", []byte("<AccessControlPolicy><Owner><ID>"+ownerID+"</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>"+allUsers+"</URI></Grantee><Permission>EVERYTHING</Permission></Grant></AccessControlList></AccessControlPolicy>"), nil)
	wantError(t, res, 400, "MalformedACLError")
	res = e.do(t, http.MethodPut, "/acls?acl", []byte("<AccessControlPolicy><Owner><ID>"+ownerID+"</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://example.com/g</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"), nil)
	wantError(t, res, 400, "InvalidArgument")
	got, _ = e.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls")})
	if want := []string{owner, "Group " + allUsers + ":READ_ACP"}; !slices.Equal(grantList(got.Grants), want) {
		t.Errorf("refused ACLs changed the bucket's: %v", grantList(got.Grants))
	}

	// CreateBucket with x-amz-acl.
	if _, err := e.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acls-public"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	got, _ = e.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acls-public")})
	if want := []string{owner, "Group " + allUsers + ":READ"}; !slices.Equal(grantList(got.Grants), want) {
		t.Errorf("CreateBucket x-amz-acl = %v, want %v", grantList(got.Grants), want)
	}
}

func TestOwnershipControls(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "owned")

	_, err := e.client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	if code, status := apiErr(t, err); code != "OwnershipControlsNotFoundError" || status != 404 {
		t.Fatalf("GetBucketOwnershipControls without controls = %s/%d", code, status)
	}
	put := func(bucket string, o types.ObjectOwnership) error {
		_, err := e.client.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
			OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: o}}}})
		return err
	}
	if err := put("owned", types.ObjectOwnershipBucketOwnerEnforced); err != nil {
		t.Fatal(err)
	}
	out, err := e.client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	if err != nil || out.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("GetBucketOwnershipControls = %v, %v", out, err)
	}

	// BucketOwnerEnforced disables ACLs other than private.
	_, err = e.client.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("owned"), ACL: types.BucketCannedACLPublicRead})
	if code, status := apiErr(t, err); code != "AccessControlListNotSupported" || status != 400 {
		t.Errorf("public ACL under BucketOwnerEnforced = %s/%d", code, status)
	}
	_, err = e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"), ACL: types.ObjectCannedACLPublicRead})
	if code, _ := apiErr(t, err); code != "AccessControlListNotSupported" {
		t.Errorf("PutObject public-read under BucketOwnerEnforced = %s", code)
	}
	if _, err := e.client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owned"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Errorf("bucket-owner-full-control under BucketOwnerEnforced: %v", err)
	}

	// ObjectWriter allows ACLs again.
	if err := put("owned", types.ObjectOwnershipObjectWriter); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("owned"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Errorf("public ACL under ObjectWriter: %v", err)
	}
	// ...and BucketOwnerEnforced is refused while the ACL is public.
	if code, _ := apiErr(t, put("owned", types.ObjectOwnershipBucketOwnerEnforced)); code != "InvalidBucketAclWithObjectOwnership" {
		t.Errorf("enforcing over a public ACL = %s", code)
	}
	res := e.do(t, http.MethodPut, "/owned?ownershipControls", []byte("<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>"), nil)
	wantError(t, res, 400, "MalformedXML")

	if _, err := e.client.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: aws.String("owned")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("owned")})
	if code, _ := apiErr(t, err); code != "OwnershipControlsNotFoundError" {
		t.Errorf("after delete: %s", code)
	}

	// CreateBucket with x-amz-object-ownership, and its conflict with a
	// public ACL.
	if _, err := e.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("enforced"), ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}); err != nil {
		t.Fatal(err)
	}
	out, err = e.client.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("enforced")})
	if err != nil || out.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Errorf("CreateBucket x-amz-object-ownership: %v %v", out, err)
	}
	_, err = e.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("conflict"), ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced, ACL: types.BucketCannedACLPublicRead})
	if code, _ := apiErr(t, err); code != "InvalidBucketAclWithObjectOwnership" {
		t.Errorf("CreateBucket enforced + public-read = %s", code)
	}
}

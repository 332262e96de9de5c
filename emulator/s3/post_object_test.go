package s3_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// formField is one field of a browser upload form, in order.
type formField struct{ name, value string }

// postForm sends a multipart/form-data POST like a browser: the fields in
// order, then the file.
func postForm(t *testing.T, target string, fields []formField, filename string, file []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		if err := mw.WriteField(f.name, f.value); err != nil {
			t.Fatal(err)
		}
	}
	if file != nil {
		fw, err := mw.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, target, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// policy encodes a POST policy document.
func policy(t *testing.T, expires time.Time, conditions ...any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"expiration": expires.UTC().Format(time.RFC3339), "conditions": conditions})
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// signed returns the policy field and the SigV4 fields that go with it
// (the policy covers all but the signature, as the SDKs write it); the
// emulator checks their presence and form, not the signature.
func signed(t *testing.T, expires time.Time, conditions ...any) []formField {
	t.Helper()
	sig := []formField{
		{"x-amz-algorithm", "AWS4-HMAC-SHA256"},
		{"x-amz-credential", "test/20261203/us-east-1/s3/aws4_request"},
		{"x-amz-date", "20261203T000000Z"},
	}
	for _, f := range sig {
		conditions = append(conditions, map[string]string{f.name: f.value})
	}
	return append(sig, formField{"policy", policy(t, expires, conditions...)}, formField{"x-amz-signature", strings.Repeat("0", 64)})
}

// fields concatenates form fields.
func fields(groups ...[]formField) []formField {
	var out []formField
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func TestPresignedPostFromSDK(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "forms")
	presigner := s3.NewPresignClient(e.client)
	pp, err := presigner.PresignPostObject(ctx, &s3.PutObjectInput{Bucket: aws.String("forms"), Key: aws.String("uploads/photo.jpg")},
		func(o *s3.PresignPostOptions) {
			o.Expires = 5 * time.Minute
			o.Conditions = []any{[]any{"content-length-range", 1, 1024}, []any{"starts-with", "$Content-Type", "image/"}}
		})
	if err != nil {
		t.Fatalf("PresignPostObject: %v", err)
	}
	var fields []formField
	for k, v := range pp.Values {
		fields = append(fields, formField{k, v})
	}
	fields = append(fields, formField{"Content-Type", "image/jpeg"})
	if pp.URL != e.srv.URL+"/forms" {
		t.Fatalf("presigned POST URL = %q, want the bucket's URL", pp.URL)
	}
	res := postForm(t, pp.URL, fields, "photo.jpg", []byte("jpeg bytes"))
	if res.status != http.StatusNoContent {
		t.Fatalf("presigned POST = %d %s", res.status, res.body)
	}
	if res.header.Get("ETag") != md5ETag([]byte("jpeg bytes")) {
		t.Errorf("ETag = %s", res.header.Get("ETag"))
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("forms"), Key: aws.String("uploads/photo.jpg")})
	if err != nil || aws.ToString(head.ContentType) != "image/jpeg" || aws.ToInt64(head.ContentLength) != 10 {
		t.Fatalf("uploaded object: %v %v", head, err)
	}

	// The policy's conditions hold: too large, wrong type, other key.
	for name, c := range map[string]struct {
		fields []formField
		file   []byte
		status int
		code   string
	}{
		"too large":    {fields, bytes.Repeat([]byte("x"), 1025), 400, "EntityTooLarge"},
		"empty":        {fields, []byte{}, 400, "EntityTooSmall"},
		"content type": {replaceField(fields, "Content-Type", "text/html"), []byte("x"), 403, "AccessDenied"},
		"other key":    {replaceField(fields, "key", "elsewhere/x"), []byte("x"), 403, "AccessDenied"},
		"extra field":  {append(replaceField(fields, "Content-Type", "image/png"), formField{"x-amz-meta-extra", "1"}), []byte("x"), 403, "AccessDenied"},
	} {
		t.Run(name, func(t *testing.T) {
			wantError(t, postForm(t, e.srv.URL+"/forms", c.fields, "f", c.file), c.status, c.code)
		})
	}
}

func replaceField(fields []formField, name, value string) []formField {
	out := make([]formField, 0, len(fields))
	for _, f := range fields {
		if strings.EqualFold(f.name, name) {
			f.value = value
		}
		out = append(out, f)
	}
	return out
}

func TestPostObjectForm(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "forms2")
	target := e.srv.URL + "/forms2"
	future := time.Now().Add(time.Hour)

	// ${filename}, metadata, tagging, acl and a 201 PostResponse.
	sig := signed(t, future, map[string]string{"bucket": "forms2"}, []any{"starts-with", "$key", "user/"},
		map[string]string{"success_action_status": "201"}, []any{"starts-with", "$x-amz-meta-note", ""},
		map[string]string{"acl": "public-read"}, []any{"starts-with", "$tagging", ""}, []any{"starts-with", "$Cache-Control", "max-age"})
	res := postForm(t, target, fields([]formField{
		{"key", "user/${filename}"}, {"success_action_status", "201"}, {"x-amz-meta-note", "hello"},
		{"acl", "public-read"}, {"tagging", "<Tagging><TagSet><Tag><Key>src</Key><Value>form</Value></Tag></TagSet></Tagging>"},
		{"Cache-Control", "max-age=60"}, {"x-ignore-csrf", "abc"},
	}, sig), "report.txt", []byte("report body"))
	if res.status != http.StatusCreated {
		t.Fatalf("POST with 201 = %d %s", res.status, res.body)
	}
	var doc struct {
		Bucket, Key, ETag, Location string
	}
	if err := xml.Unmarshal(res.body, &doc); err != nil || doc.Key != "user/report.txt" || doc.Bucket != "forms2" || doc.ETag != md5ETag([]byte("report body")) {
		t.Errorf("PostResponse = %+v, %v (%s)", doc, err, res.body)
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("forms2"), Key: aws.String("user/report.txt")})
	if err != nil || head.Metadata["note"] != "hello" || aws.ToString(head.CacheControl) != "max-age=60" {
		t.Fatalf("object from the form: %+v %v", head, err)
	}
	if got := getTags(t, e, "forms2", "user/report.txt"); !maps.Equal(got, map[string]string{"src": "form"}) {
		t.Errorf("tags from the form = %v", got)
	}
	acl, _ := e.client.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("forms2"), Key: aws.String("user/report.txt")})
	if len(acl.Grants) != 2 {
		t.Errorf("acl from the form: %v", grantList(acl.Grants))
	}

	// success_action_redirect: 303 with bucket, key and etag.
	sig = signed(t, future, []any{"starts-with", "$key", ""}, []any{"starts-with", "$success_action_redirect", "http://app.localhost/"})
	res = postForm(t, target, fields([]formField{{"key", "r.txt"}, {"success_action_redirect", "http://app.localhost/done?x=1"}}, sig), "r", []byte("r"))
	loc, _ := url.Parse(res.header.Get("Location"))
	if res.status != http.StatusSeeOther || loc == nil || loc.Host != "app.localhost" || loc.Query().Get("key") != "r.txt" ||
		loc.Query().Get("bucket") != "forms2" || loc.Query().Get("x") != "1" || loc.Query().Get("etag") != md5ETag([]byte("r")) {
		t.Errorf("redirect = %d %s", res.status, res.header.Get("Location"))
	}
	// success_action_status 200, and no policy at all.
	if res := postForm(t, target, []formField{{"key", "plain"}, {"success_action_status", "200"}}, "p", []byte("p")); res.status != 200 || len(res.body) != 0 {
		t.Errorf("status 200 = %d %q", res.status, res.body)
	}

	// Refusals.
	expired := signed(t, time.Now().Add(-time.Minute), []any{"starts-with", "$key", ""})
	raw := func(doc string) []formField {
		return fields(signed(t, future)[:3], []formField{{"policy", base64.StdEncoding.EncodeToString([]byte(doc))}, {"x-amz-signature", "00"}})
	}
	anyKey := []any{"starts-with", "$key", ""}
	for name, c := range map[string]struct {
		fields []formField
		file   []byte
		status int
		code   string
	}{
		"expired":         {fields([]formField{{"key", "k"}}, expired), []byte("x"), 403, "AccessDenied"},
		"no key":          {signed(t, future), []byte("x"), 400, "InvalidArgument"},
		"no file":         {[]formField{{"key", "k"}}, nil, 400, "InvalidArgument"},
		"bad policy":      {[]formField{{"key", "k"}, {"policy", "!!!"}, {"x-amz-signature", "00"}}, []byte("x"), 400, "InvalidPolicyDocument"},
		"bad json":        {fields([]formField{{"key", "k"}}, raw("{")), []byte("x"), 400, "InvalidPolicyDocument"},
		"no expiration":   {fields([]formField{{"key", "k"}}, raw(`{"conditions":[]}`)), []byte("x"), 400, "InvalidPolicyDocument"},
		"EXPIRATION":      {fields([]formField{{"key", "k"}}, raw(`{"EXPIRATION":"2099-01-01T00:00:00Z","conditions":[]}`)), []byte("x"), 400, "InvalidPolicyDocument"},
		"no conditions":   {fields([]formField{{"key", "k"}}, raw(`{"expiration":"2099-01-01T00:00:00Z"}`)), []byte("x"), 400, "InvalidPolicyDocument"},
		"empty condition": {fields([]formField{{"key", "k"}}, signed(t, future, anyKey, map[string]string{})), []byte("x"), 400, "InvalidPolicyDocument"},
		"length args":     {fields([]formField{{"key", "k"}}, signed(t, future, anyKey, []any{"content-length-range", 0})), []byte("x"), 400, "InvalidPolicyDocument"},
		"no signature":    {fields([]formField{{"key", "k"}}, signed(t, future, anyKey)[:4]), []byte("x"), 400, "InvalidArgument"},
		"bad date":        {fields([]formField{{"key", "k"}}, replaceField(signed(t, future, anyKey), "x-amz-date", "yesterday")), []byte("x"), 400, "InvalidArgument"},
		"bucket":          {fields([]formField{{"key", "k"}}, signed(t, future, map[string]string{"bucket": "other"}, anyKey)), []byte("x"), 403, "AccessDenied"},
		"fields too big":  {[]formField{{"key", "k"}, {"x-amz-meta-big", strings.Repeat("b", 21<<10)}}, []byte("x"), 400, "MaxPostPreDataLengthExceededError"},
		"checksum":        {[]formField{{"key", "k"}, {"x-amz-checksum-crc32", crc32B64([]byte("other"))}}, []byte("x"), 400, "BadDigest"},
	} {
		res := postForm(t, target, c.fields, "f", c.file)
		if res.status != c.status {
			t.Errorf("%s: status %d, want %d (%s)", name, res.status, c.status, res.body)
			continue
		}
		wantError(t, res, c.status, c.code)
	}
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("forms2"), Key: aws.String("k")}); err == nil {
		t.Error("a refused POST stored its object")
	}
	res = e.do(t, http.MethodPost, "/forms2", []byte("key=k"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	wantError(t, res, 412, "PreconditionFailed")
	res = postForm(t, e.srv.URL+"/no-such-bucket", []formField{{"key", "k"}}, "f", []byte("x"))
	wantError(t, res, 404, "NoSuchBucket")
}

package s3_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestBucketCorsConfiguration(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "web")

	_, err := e.client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web")})
	if code, status := apiErr(t, err); code != "NoSuchCORSConfiguration" || status != 404 {
		t.Fatalf("GetBucketCors without configuration = %s/%d, want NoSuchCORSConfiguration/404", code, status)
	}
	rules := []types.CORSRule{
		{ID: aws.String("uploads"), AllowedOrigins: []string{"http://app.localhost:8080"}, AllowedMethods: []string{"PUT", "POST"},
			AllowedHeaders: []string{"Content-Type", "x-amz-*"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)},
		{AllowedOrigins: []string{"*"}, AllowedMethods: []string{"GET", "HEAD"}},
	}
	if _, err := e.client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("web"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: rules}}); err != nil {
		t.Fatalf("PutBucketCors: %v", err)
	}
	out, err := e.client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CORSRules) != 2 {
		t.Fatalf("GetBucketCors rules = %d, want 2", len(out.CORSRules))
	}
	r := out.CORSRules[0]
	if aws.ToString(r.ID) != "uploads" || !slices.Equal(r.AllowedMethods, []string{"PUT", "POST"}) ||
		!slices.Equal(r.AllowedHeaders, []string{"Content-Type", "x-amz-*"}) || !slices.Equal(r.ExposeHeaders, []string{"ETag"}) ||
		aws.ToInt32(r.MaxAgeSeconds) != 600 || !slices.Equal(out.CORSRules[1].AllowedOrigins, []string{"*"}) {
		t.Errorf("GetBucketCors rule = %+v", r)
	}

	// Invalid configurations change nothing.
	for name, rule := range map[string]types.CORSRule{
		"method PATCH":  {AllowedOrigins: []string{"*"}, AllowedMethods: []string{"PATCH"}},
		"two wildcards": {AllowedOrigins: []string{"http://*.a.*"}, AllowedMethods: []string{"GET"}},
	} {
		_, err := e.client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("web"),
			CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{rule}}})
		if code, status := apiErr(t, err); status != 400 || (code != "InvalidRequest" && code != "MalformedXML") {
			t.Errorf("%s: %s/%d, want a 400", name, code, status)
		}
	}
	// The SDK refuses to send a rule without AllowedOrigin; S3 answers
	// MalformedXML to one.
	res := e.do(t, http.MethodPut, "/web?cors", []byte("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>"), nil)
	wantError(t, res, 400, "MalformedXML")
	if out, _ := e.client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web")}); out == nil || len(out.CORSRules) != 2 {
		t.Error("a refused PutBucketCors changed the configuration")
	}

	if _, err := e.client.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web")})
	if code, _ := apiErr(t, err); code != "NoSuchCORSConfiguration" {
		t.Errorf("after DeleteBucketCors: %s", code)
	}
}

func TestCORSPreflightAndHeaders(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "site")
	mustPut(t, e, "site", "index.html", []byte("<p>hi</p>"))
	const app = "http://app.localhost:8080"
	preflight := func(path string, hdr map[string]string) response {
		return e.do(t, http.MethodOptions, path, nil, hdr)
	}

	// Without a configuration every preflight is 403 CORSResponse.
	res := preflight("/site/index.html", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET"})
	wantError(t, res, http.StatusForbidden, "CORSResponse")

	if _, err := e.client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("site"), CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{
		{AllowedOrigins: []string{app}, AllowedMethods: []string{"PUT", "GET"}, AllowedHeaders: []string{"content-type", "x-amz-*"},
			ExposeHeaders: []string{"ETag", "x-amz-version-id"}, MaxAgeSeconds: aws.Int32(300)},
		{AllowedOrigins: []string{"http://*.example.test"}, AllowedMethods: []string{"GET"}},
	}}}); err != nil {
		t.Fatal(err)
	}

	// A matching preflight: origin echoed with credentials, the rule's
	// methods, the requested headers, exposed headers and max age.
	res = preflight("/site/upload.bin", map[string]string{"Origin": app, "Access-Control-Request-Method": "PUT",
		"Access-Control-Request-Headers": "Content-Type, X-Amz-Date"})
	if res.status != http.StatusOK {
		t.Fatalf("matching preflight = %d %s", res.status, res.body)
	}
	for name, want := range map[string]string{
		"Access-Control-Allow-Origin":      app,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     "PUT, GET",
		"Access-Control-Allow-Headers":     "content-type, x-amz-date",
		"Access-Control-Expose-Headers":    "ETag, x-amz-version-id",
		"Access-Control-Max-Age":           "300",
	} {
		if got := res.header.Get(name); got != want {
			t.Errorf("preflight %s = %q, want %q", name, got, want)
		}
	}
	// Bucket-level preflight and the wildcard origin rule.
	res = preflight("/site", map[string]string{"Origin": "http://cdn.example.test", "Access-Control-Request-Method": "GET"})
	if res.status != 200 || res.header.Get("Access-Control-Allow-Origin") != "http://cdn.example.test" {
		t.Errorf("wildcard-origin preflight = %d %v", res.status, res.header)
	}

	// Rejections: no rule for the method, the origin or a header.
	for name, hdr := range map[string]map[string]string{
		"method":  {"Origin": app, "Access-Control-Request-Method": "DELETE"},
		"origin":  {"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"},
		"header":  {"Origin": app, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "authorization-extra"},
		"subhost": {"Origin": "http://example.test", "Access-Control-Request-Method": "GET"},
	} {
		res := preflight("/site/index.html", hdr)
		wantError(t, res, http.StatusForbidden, "CORSResponse")
		if res.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: rejected preflight carries Access-Control-Allow-Origin", name)
		}
	}
	wantError(t, preflight("/site/index.html", map[string]string{"Access-Control-Request-Method": "GET"}), 400, "BadRequest")
	wantError(t, preflight("/site/index.html", map[string]string{"Origin": app}), 400, "BadRequest")
	wantError(t, preflight("/no-such-bucket/k", map[string]string{"Origin": app, "Access-Control-Request-Method": "GET"}), 404, "NoSuchBucket")

	// Actual requests: CORS headers when Origin matches, none otherwise.
	res = e.do(t, http.MethodGet, "/site/index.html", nil, map[string]string{"Origin": app})
	if res.status != 200 || res.header.Get("Access-Control-Allow-Origin") != app || res.header.Get("Access-Control-Expose-Headers") != "ETag, x-amz-version-id" {
		t.Errorf("GET with a matching Origin: %d %v", res.status, res.header)
	}
	res = e.do(t, http.MethodGet, "/site/index.html", nil, map[string]string{"Origin": "http://evil.test"})
	if res.status != 200 || res.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("GET with a foreign Origin: %d, Allow-Origin %q", res.status, res.header.Get("Access-Control-Allow-Origin"))
	}
	res = e.do(t, http.MethodGet, "/site/missing", nil, map[string]string{"Origin": app})
	if res.status != 404 || res.header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("404 with a matching Origin lacks CORS headers: %d %v", res.status, res.header)
	}
	if res := e.do(t, http.MethodGet, "/site/index.html", nil, nil); res.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("a request without Origin got CORS headers")
	}
}

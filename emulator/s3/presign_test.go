package s3_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// sendPresigned performs a presigned request with plain net/http, as a
// browser or curl would, sending the headers the SDK signed.
func sendPresigned(t *testing.T, req *v4.PresignedHTTPRequest, rawURL string, body []byte) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	r, err := http.NewRequest(req.Method, rawURL, rd)
	if err != nil {
		t.Fatal(err)
	}
	for name, values := range req.SignedHeader {
		if !strings.EqualFold(name, "Host") {
			r.Header[name] = values
		}
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// withQuery returns rawURL with one query parameter replaced.
func withQuery(t *testing.T, rawURL, name, value string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestPresignedURLs(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "presigned")
	presigner := s3.NewPresignClient(e.client)
	body := []byte("uploaded through a presigned URL")

	put, err := presigner.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("presigned"), Key: aws.String("up/file name.txt"), ContentType: aws.String("text/plain"),
	}, s3.WithPresignExpires(10*time.Minute))
	if err != nil {
		t.Fatalf("PresignPutObject: %v", err)
	}
	if !strings.Contains(put.URL, "X-Amz-Signature=") || !strings.Contains(put.URL, "X-Amz-Expires=600") {
		t.Fatalf("presigned PUT URL lacks SigV4 query auth: %s", put.URL)
	}
	if res := sendPresigned(t, put, put.URL, body); res.status != http.StatusOK || res.header.Get("ETag") != md5ETag(body) {
		t.Fatalf("presigned PUT = %d %s", res.status, res.body)
	}
	head, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("presigned"), Key: aws.String("up/file name.txt")})
	if err != nil || aws.ToString(head.ContentType) != "text/plain" {
		t.Fatalf("object stored by presigned PUT: %v %q", err, aws.ToString(head.ContentType))
	}

	get, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String("presigned"), Key: aws.String("up/file name.txt"),
		ResponseContentDisposition: aws.String(`attachment; filename="x.txt"`),
	}, s3.WithPresignExpires(time.Hour))
	if err != nil {
		t.Fatalf("PresignGetObject: %v", err)
	}
	res := sendPresigned(t, get, get.URL, nil)
	if res.status != http.StatusOK || !bytes.Equal(res.body, body) {
		t.Fatalf("presigned GET = %d %q", res.status, res.body)
	}
	if got := res.header.Get("Content-Disposition"); got != `attachment; filename="x.txt"` {
		t.Errorf("response-content-disposition override = %q", got)
	}

	// Any credentials are accepted: the signature is not verified.
	if res := sendPresigned(t, get, withQuery(t, get.URL, "X-Amz-Signature", strings.Repeat("0", 64)), nil); res.status != http.StatusOK {
		t.Errorf("presigned GET with another signature = %d", res.status)
	}

	// Expired: signed two hours ago for one hour.
	twoHoursAgo := time.Now().UTC().Add(-2 * time.Hour).Format("20060102T150405Z")
	for name, req := range map[string]*v4.PresignedHTTPRequest{"GET": get, "PUT": put} {
		res := sendPresigned(t, req, withQuery(t, req.URL, "X-Amz-Date", twoHoursAgo), body)
		doc := wantError(t, res, http.StatusForbidden, "AccessDenied")
		if doc.Message != "Request has expired" {
			t.Errorf("expired presigned %s message = %q", name, doc.Message)
		}
	}
	// A missing key behind an expired URL is still 403: auth comes first.
	missing, err := presigner.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("missing")}, s3.WithPresignExpires(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	wantError(t, sendPresigned(t, missing, withQuery(t, missing.URL, "X-Amz-Date", twoHoursAgo), nil), http.StatusForbidden, "AccessDenied")

	malformed := []struct{ param, value string }{
		{"X-Amz-Date", "yesterday"},
		{"X-Amz-Expires", "604801"},
		{"X-Amz-Expires", "soon"},
		{"X-Amz-Algorithm", "AWS4-HMAC-MD5"},
		{"X-Amz-Credential", ""},
	}
	for _, m := range malformed {
		wantError(t, sendPresigned(t, get, withQuery(t, get.URL, m.param, m.value), nil), http.StatusBadRequest, "AuthorizationQueryParametersError")
	}

	// Legacy SigV2 query auth: Expires is a Unix time.
	past := e.do(t, http.MethodGet, "/presigned/up/file%20name.txt?AWSAccessKeyId=test&Signature=x&Expires=1000", nil, nil)
	wantError(t, past, http.StatusForbidden, "AccessDenied")
	future := e.do(t, http.MethodGet, "/presigned/up/file%20name.txt?AWSAccessKeyId=test&Signature=x&Expires=99999999999", nil, nil)
	if future.status != http.StatusOK {
		t.Errorf("SigV2 presigned GET = %d", future.status)
	}
}

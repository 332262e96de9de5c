package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coolroom/testbed/app/dataapi"
)

// newTestApp is the real router over a data API and S3 that are never
// reached (nothing here gets past the middlewares).
func newTestApp(t *testing.T) *App {
	return newTestAppWith(t, "http://127.0.0.1:1")
}

// newTestAppWith is the real router over the data API at dataURL (S3 is
// never reached).
func newTestAppWith(t *testing.T, dataURL string) *App {
	t.Helper()
	a, err := New(Config{Logger: discardLogger(), Data: dataapi.New(dataURL, nil),
		S3: s3.New(s3.Options{Region: "us-east-1"}), Bucket: "b", SessionKey: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCrossOriginRefusalCarriesSecurityHeaders: the 403 page of the CSRF
// check used to be written outside the header middleware, without CSP,
// nosniff, frame and referrer policy.
func TestCrossOriginRefusalCarriesSecurityHeaders(t *testing.T) {
	a := newTestApp(t)
	req := httptest.NewRequest(http.MethodPost, "http://app.test/create-room", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	a.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Request refused") {
		t.Fatalf("status %d, body %q", w.Code, w.Body.String())
	}
	for name, want := range map[string]string{
		"Content-Security-Policy": contentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
	} {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

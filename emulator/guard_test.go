package emulator_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coolroom/testbed/emulator"
)

// startGuardedEmulator serves an emulator with the given guard settings.
func startGuardedEmulator(t *testing.T, guard emulator.GuardConfig) (*httptest.Server, aws.Config) {
	t.Helper()
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler), Guard: guard})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Shutdown(context.Background())
	})
	return srv, testConfig()
}

// createFunctionBody is a valid CreateFunction request for the test
// function: what an attacking page would send.
func createFunctionBody(t *testing.T, name string) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"FunctionName": name, "Runtime": "provided.al2023", "Handler": "bootstrap",
		"Role": "arn:aws:iam::000000000000:role/lambda", "Code": map[string]string{"ZipFile": base64.StdEncoding.EncodeToString(testfnZipData(t))},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// send makes a raw request and returns the status and the body, followed
// by the AWS error code when there is one.
func send(t *testing.T, method, url, host, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if code := resp.Header.Get("X-Amzn-ErrorType"); code != "" {
		b = append(b, "\nX-Amzn-ErrorType: "+code...)
	}
	return resp.StatusCode, string(b)
}

// functionNames lists the functions through the SDK, as a user would.
func functionNames(t *testing.T, srv *httptest.Server, cfg aws.Config) []string {
	t.Helper()
	out, err := lambdaClient(srv, cfg).ListFunctions(context.Background(), &lambda.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range out.Functions {
		names = append(names, aws.ToString(f.FunctionName))
	}
	return names
}

// TestGuardRefusesCrossSiteControlPlane replays the attack of issue 12: a web
// page POSTs a CreateFunction to the emulator as text/plain (no CORS
// preflight). Every form a browser sends it in is refused and nothing is
// created; the same request from an SDK-like client with a JSON content
// type works.
func TestGuardRefusesCrossSiteControlPlane(t *testing.T) {
	srv, cfg := startGuardedEmulator(t, emulator.GuardConfig{})
	body := createFunctionBody(t, "evil")
	fnURL := srv.URL + "/2015-03-31/functions"
	for _, tc := range []struct {
		name   string
		header map[string]string
		status int
	}{
		{"fetch no-cors from another site", map[string]string{"Content-Type": "text/plain;charset=UTF-8", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Origin": "http://evil.example"}, http.StatusForbidden},
		{"same-site page (another port)", map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-site", "Sec-Fetch-Mode": "cors", "Origin": "http://127.0.0.1:8000"}, http.StatusForbidden},
		{"old browser: Origin only", map[string]string{"Content-Type": "text/plain", "Origin": "http://evil.example"}, http.StatusForbidden},
		{"sandboxed page: Origin null", map[string]string{"Content-Type": "text/plain", "Origin": "null"}, http.StatusForbidden},
		{"old browser: Referer only", map[string]string{"Content-Type": "text/plain", "Referer": "http://evil.example/page"}, http.StatusForbidden},
		{"a form post cross-site as navigation", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, http.StatusForbidden},
		{"no browser headers, text/plain body", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"no browser headers, no content type", nil, http.StatusUnsupportedMediaType},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, got := send(t, http.MethodPost, fnURL, "", body, tc.header)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, got)
			}
			if names := functionNames(t, srv, cfg); len(names) != 0 {
				t.Fatalf("a refused request created functions %v", names)
			}
		})
	}
	if status, got := send(t, http.MethodPost, fnURL, "", body, map[string]string{"Content-Type": "text/plain", "Sec-Fetch-Site": "cross-site"}); !strings.Contains(got, "EXTRA_CORS_ALLOWED_ORIGINS") {
		t.Errorf("refusal (%d) does not say how to allow an origin: %s", status, got)
	}
	if status, got := send(t, http.MethodPost, fnURL, "", body, map[string]string{"Content-Type": "text/plain"}); !strings.Contains(got, "UnsupportedMediaTypeException") {
		t.Errorf("text/plain body (%d) is not Lambda's UnsupportedMediaTypeException: %s", status, got)
	}
	// The emulator's own pages (the console) may call it: same origin.
	if status, got := send(t, http.MethodPost, fnURL, "", body, map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", "Origin": srv.URL}); status != http.StatusCreated {
		t.Fatalf("same-origin CreateFunction: %d %s", status, got)
	}
	if names := functionNames(t, srv, cfg); len(names) != 1 || names[0] != "evil" {
		t.Fatalf("functions after a same-origin create: %v", names)
	}
}

// TestGuardRefusesCrossSiteReset: a page cannot wipe the deployment.
func TestGuardRefusesCrossSiteReset(t *testing.T) {
	srv, cfg := startGuardedEmulator(t, emulator.GuardConfig{})
	cfg.Region = "us-east-1"
	c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(srv.URL); o.UsePathStyle = true })
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("keep-me")}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/_coolroom/reset", "/_localstack/state/reset"} {
		status, body := send(t, http.MethodPost, srv.URL+path, "", "", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Origin": "http://evil.example"})
		if status != http.StatusForbidden {
			t.Fatalf("cross-site POST %s: %d %s", path, status, body)
		}
	}
	if _, err := c.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String("keep-me")}); err != nil {
		t.Fatalf("bucket gone after refused resets: %v", err)
	}
	// S3 writes are refused the same way (a page overwriting the app's
	// static files).
	status, _ := send(t, http.MethodPut, srv.URL+"/keep-me/app.js", "", "alert(1)", map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"})
	if status != http.StatusForbidden {
		t.Fatalf("cross-site S3 PUT: %d, want 403", status)
	}
}

// TestGuardRefusesRebindingHost: a page on rebind.attacker.example whose
// name now resolves to 127.0.0.1 is same-origin to itself, so only the
// Host name gives it away. It must not read the functions' environment.
func TestGuardRefusesRebindingHost(t *testing.T) {
	srv, cfg := startGuardedEmulator(t, emulator.GuardConfig{AllowedHosts: []string{"aws"}})
	status, body := send(t, http.MethodPost, srv.URL+"/2015-03-31/functions", "", createFunctionBody(t, "secret-fn"), map[string]string{"Content-Type": "application/json"})
	if status != http.StatusCreated {
		t.Fatalf("create: %d %s", status, body)
	}
	for _, host := range []string{"rebind.attacker.example", "rebind.attacker.example:4566", "192.0.2.7:4566", "localhost.evil.example", "evil-localhost"} {
		status, body := send(t, http.MethodGet, srv.URL+"/2015-03-31/functions/", host, "", map[string]string{"Sec-Fetch-Site": "same-origin"})
		if status != http.StatusForbidden || strings.Contains(body, "secret-fn") {
			t.Fatalf("Host %s: %d %s", host, status, body)
		}
		if !strings.Contains(body, "COOLROOM_EMULATOR_HOSTS") {
			t.Errorf("Host %s: the refusal does not say how to allow a name: %s", host, body)
		}
	}
	for _, host := range []string{"localhost:4566", "LOCALHOST", "s3.localhost", "bucket.s3.localhost.localstack.cloud:4566",
		"localhost.localstack.cloud", "127.0.0.1", "127.1.2.3:4566", "[::1]:4566", "aws:4566", "AWS."} {
		status, body := send(t, http.MethodGet, srv.URL+"/2015-03-31/functions/", host, "", nil)
		if status != http.StatusOK || !strings.Contains(body, "secret-fn") {
			t.Fatalf("Host %s: %d %s", host, status, body)
		}
	}
	if names := functionNames(t, srv, cfg); len(names) != 1 {
		t.Fatalf("SDK sees %v", names)
	}
}

// TestGuardAllowsWhatBrowsersMayDo: the execute-api data plane is for
// browsers (API Gateway's own rules apply), a link to the console works,
// and an allow-listed origin or DISABLE_CORS_CHECKS lets a page through.
func TestGuardAllowsWhatBrowsersMayDo(t *testing.T) {
	srv, _ := startGuardedEmulator(t, emulator.ParseGuardConfig("", "http://localhost:3000, https://ide.example", "", ""))
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Origin": "http://evil.example"}
	// No such API: API Gateway's 404, not the guard's 403.
	if status, body := send(t, http.MethodPost, srv.URL+"/_aws/execute-api/abc123/$default/rooms", "", "{}", crossSite); status != http.StatusNotFound {
		t.Fatalf("cross-site execute-api: %d %s", status, body)
	}
	if status, body := send(t, http.MethodGet, srv.URL+"/rooms", "abc123.execute-api.localhost.localstack.cloud", "", crossSite); status != http.StatusNotFound {
		t.Fatalf("cross-site execute-api by Host: %d %s", status, body)
	}
	nav := map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
	if status, body := send(t, http.MethodGet, srv.URL+"/_console/", "", "", nav); status != http.StatusOK {
		t.Fatalf("link to the console from another site: %d %s", status, body)
	}
	if status, _ := send(t, http.MethodGet, srv.URL+"/_console/", "", "", crossSite); status != http.StatusForbidden {
		t.Fatalf("cross-site fetch of the console: %d, want 403", status)
	}
	allowed := map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site", "Origin": "http://localhost:3000"}
	if status, body := send(t, http.MethodGet, srv.URL+"/2015-03-31/functions/", "", "", allowed); status != http.StatusOK {
		t.Fatalf("allow-listed origin: %d %s", status, body)
	}

	open, _ := startGuardedEmulator(t, emulator.ParseGuardConfig("", "", "1", ""))
	if status, body := send(t, http.MethodGet, open.URL+"/2015-03-31/functions/", "", "", crossSite); status != http.StatusOK {
		t.Fatalf("DISABLE_CORS_CHECKS=1: %d %s", status, body)
	}
	if status, _ := send(t, http.MethodGet, open.URL+"/2015-03-31/functions/", "evil.example", "", nil); status != http.StatusForbidden {
		t.Fatalf("DISABLE_CORS_CHECKS=1 must keep the Host check: %d", status)
	}
}

// TestParseGuardConfig reads the environment values as documented.
func TestParseGuardConfig(t *testing.T) {
	cfg := emulator.ParseGuardConfig(" aws, localstack ,", "http://a.example", "true", "localstack.internal:4566")
	if got := strings.Join(cfg.AllowedHosts, "|"); got != "aws|localstack|localstack.internal:4566" {
		t.Errorf("hosts %q", got)
	}
	if len(cfg.AllowedOrigins) != 1 || !cfg.DisableCrossSiteChecks {
		t.Errorf("%+v", cfg)
	}
	if emulator.ParseGuardConfig("", "", "0", "").DisableCrossSiteChecks {
		t.Error("DISABLE_CORS_CHECKS=0 disables the checks")
	}
}

package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"

	s3emu "github.com/coolroom/testbed/emulator/s3"
)

// env is one emulator behind a real HTTP server plus an SDK client for it.
type env struct {
	svc    *s3emu.Service
	srv    *httptest.Server
	client *s3.Client
	// sent records the headers of every request the SDK client made, so
	// tests can check what the SDK actually put on the wire.
	sent *headerRecorder
}

func newEnv(t *testing.T) *env {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := s3emu.New(logger)
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	e := &env{svc: svc, srv: srv, sent: &headerRecorder{next: srv.Client()}}
	e.client = newClient(t, srv.URL, "us-east-1", e.sent)
	return e
}

// newClient builds the SDK client exactly as the brief prescribes, plus no
// retries (a retried failure would only slow the test down) and isolation
// from the developer's ~/.aws files.
func newClient(t testing.TB, endpoint, region string, httpClient aws.HTTPClient) *s3.Client {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
	)
	if err != nil {
		t.Fatalf("LoadDefaultConfig: %v", err)
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.Retryer = aws.NopRetryer{}
		o.Logger = logging.Nop{} // e.g. "Response has no supported checksum" on ranged GETs
		if httpClient != nil {
			o.HTTPClient = httpClient
		}
	})
}

// headerRecorder is an aws.HTTPClient that remembers the last request's
// headers.
type headerRecorder struct {
	next *http.Client
	mu   sync.Mutex
	last http.Header
}

func (h *headerRecorder) Do(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.last = r.Header.Clone()
	h.mu.Unlock()
	return h.next.Do(r)
}

// lastHeader returns a header of the most recent SDK request.
func (h *headerRecorder) lastHeader(name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last.Get(name)
}

// response is a fully read raw HTTP response.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a raw (unsigned) request. A "Host" entry in hdr sets the Host
// header, for virtual-host style addressing.
func (e *env) do(t *testing.T, method, path string, body []byte, hdr map[string]string) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatalf("NewRequest %s %s: %v", method, path, err)
	}
	// Without this, net/http would ask for gzip and transparently decode
	// it, hiding the stored Content-Encoding from the test.
	req.Header.Set("Accept-Encoding", "identity")
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("reading %s %s: %v", method, path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// s3Error is the client's view of an S3 <Error> document.
type s3Error struct {
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
	Resource  string `xml:"Resource"`
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

// wantError asserts that res is an S3 XML error with the given status and
// code, and returns it.
func wantError(t *testing.T, res response, status int, code string) s3Error {
	t.Helper()
	if res.status != status {
		t.Fatalf("status = %d, want %d; body: %s", res.status, status, res.body)
	}
	var doc s3Error
	if err := xml.Unmarshal(res.body, &doc); err != nil {
		t.Fatalf("error body is not XML: %v; body: %q", err, res.body)
	}
	if doc.Code != code {
		t.Fatalf("error code = %q, want %q; body: %s", doc.Code, code, res.body)
	}
	return doc
}

// apiErr returns the S3 error code and HTTP status of an SDK error.
func apiErr(t *testing.T, err error) (code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not a smithy.APIError", err, err)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), status
}

func mustCreateBucket(t *testing.T, e *env, name string) {
	t.Helper()
	if _, err := e.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
}

func mustPut(t *testing.T, e *env, bucket, key string, body []byte) *s3.PutObjectOutput {
	t.Helper()
	out, err := e.client.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	})
	if err != nil {
		t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
	return out
}

func mustGetBody(t *testing.T, e *env, bucket, key string) []byte {
	t.Helper()
	out, err := e.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("reading %s/%s: %v", bucket, key, err)
	}
	return b
}

func md5ETag(b []byte) string {
	sum := md5.Sum(b)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

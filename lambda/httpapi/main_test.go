package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/httpapi"
	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/coolroom/testbed/lambda/store"
)

func TestMain(m *testing.M) { os.Exit(testdb.Run(m)) }

// logBuffer collects the handler's JSON log lines; the server writes from
// its own goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the decoded log records.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testServer is the handler on a fresh database behind a real HTTP server.
type testServer struct {
	*httptest.Server
	store *store.Store
	logs  *logBuffer
}

func newServer(t *testing.T) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	srv := httptest.NewServer(httpapi.New(service.New(st), log))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, store: st, logs: logs}
}

// response is what a client sees.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *testServer) do(t *testing.T, method, path string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// decode unmarshals the body into v, failing on unknown fields so the
// tests pin the wire contract.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// checkError asserts an error response: status, JSON content type, code,
// fields, and that the body has exactly the documented keys.
func (r response) checkError(t *testing.T, status int, code service.ErrorCode, fields map[string]string) {
	t.Helper()
	if r.status != status {
		t.Errorf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var raw map[string]map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil || len(raw) != 1 || raw["error"] == nil {
		t.Fatalf("body %s is not {\"error\":{...}} (%v)", r.body, err)
	}
	for k := range raw["error"] {
		if k != "code" && k != "message" && k != "fields" {
			t.Errorf("unexpected key %q in %s", k, r.body)
		}
	}
	if _, ok := raw["error"]["fields"]; ok && len(fields) == 0 {
		t.Errorf("fields present but empty expected: %s", r.body)
	}
	var e service.ErrorResponse
	r.decode(t, &e)
	if e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("error = %+v, want code %s with a message", e.Error, code)
	}
	for k, v := range fields {
		if got := e.Error.Fields[k]; got != v {
			t.Errorf("fields[%s] = %q, want %q (all: %v)", k, got, v, e.Error.Fields)
		}
	}
	if len(e.Error.Fields) != len(fields) {
		t.Errorf("fields = %v, want %v", e.Error.Fields, fields)
	}
}

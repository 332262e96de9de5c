package router_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/coolroom/testbed/internal/syncbuf"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/password"
	"github.com/coolroom/testbed/lambda/router"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/coolroom/testbed/lambda/store"
)

func TestMain(m *testing.M) { os.Exit(testdb.Run(m)) }

// logBuffer collects the handler's JSON log lines; the server writes from
// its own goroutines.
type logBuffer struct{ syncbuf.Buffer }

// lines returns the decoded log records.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
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

// testServer is the handler on a fresh database behind a real HTTP server.
type testServer struct {
	*httptest.Server
	handler http.Handler
	store   *store.Store
	logs    *logBuffer
	url     string // the database, for the tests' own SQL
}

// testSecret signs the test servers' tokens.
var testSecret = []byte("test-secret-of-at-least-16-bytes")

func newServer(t testing.TB) *testServer {
	return newServerWith(t, service.LoginPolicy{})
}

// newServerWith starts a server whose logins follow policy (zero: the
// default). Passwords are hashed with cheap argon2id parameters so tests
// can register many users; the format and code path are the real ones.
func newServerWith(t testing.TB, policy service.LoginPolicy) *testServer {
	return newServerOpts(t, service.Options{Login: policy}, password.Fast)
}

// newServerWithHasher starts a server hashing with the production
// parameters when real is set.
func newServerWithHasher(t testing.TB, real bool) *testServer {
	if real {
		return newServerOpts(t, service.Options{}, password.Default)
	}
	return newServerOpts(t, service.Options{}, password.Fast)
}

// newServerOpts starts a server with the login policies of opts (its
// hasher and tokens are set here) hashing with params.
func newServerOpts(t testing.TB, opts service.Options, params password.Params) *testServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := testdb.New(t)
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	tokens, err := service.NewTokenSigner(testSecret, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	opts.Hasher, opts.Tokens = password.Hasher{Params: params}, tokens
	svc, err := service.New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	h := router.New(svc, log)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, handler: h, store: st, logs: logs, url: url}
}

// response is what a client sees.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *testServer) do(t testing.TB, method, path string, body io.Reader) response {
	t.Helper()
	return s.doAuth(t, "", method, path, body)
}

// doAuth sends a request with Authorization: Bearer token ("" for none).
func (s *testServer) doAuth(t testing.TB, token, method, path string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
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
func (r response) decode(t testing.TB, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// checkError asserts an error response: status, JSON content type, code,
// fields, and that the body has exactly the documented keys.
func (r response) checkError(t testing.TB, status int, code contract.ErrorCode, fields map[string]string) {
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
	var e contract.ErrorResponse
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

// account is a registered user as the client sees it.
type account struct {
	user  contract.User
	token string
}

// register creates user name through the API (name@example.test,
// password "a-Good-passphrase-1") and returns it with its token.
func (s *testServer) register(t testing.TB, name string) account {
	t.Helper()
	body := fmt.Sprintf(`{"name":"User %s","username":%q,"email":"%s@example.test","password":"a-Good-passphrase-1"}`, name, name, name)
	r := s.do(t, "POST", "/users", strings.NewReader(body))
	if r.status != 201 {
		t.Fatalf("register %s: %d %s", name, r.status, r.body)
	}
	var res contract.AuthResult
	r.decode(t, &res)
	return account{user: res.User, token: res.Token}
}

// mustCreateRoom creates a room hosted by a through the API.
func (s *testServer) mustCreateRoom(t testing.TB, a account, name, desc, topic string) contract.Room {
	t.Helper()
	b, _ := json.Marshal(contract.NewRoom{Name: name, Description: desc, Topic: topic})
	r := s.doAuth(t, a.token, "POST", "/rooms", bytes.NewReader(b))
	if r.status != 201 {
		t.Fatalf("create room %q: %d %s", name, r.status, r.body)
	}
	var room contract.Room
	r.decode(t, &room)
	return room
}

// mustPost posts a message by a in room through the API.
func (s *testServer) mustPost(t testing.TB, a account, room int64, body string) contract.Message {
	t.Helper()
	b, _ := json.Marshal(contract.NewMessage{Body: body})
	r := s.doAuth(t, a.token, "POST", fmt.Sprintf("/rooms/%d/messages", room), bytes.NewReader(b))
	if r.status != 201 {
		t.Fatalf("post in room %d: %d %s", room, r.status, r.body)
	}
	var m contract.Message
	r.decode(t, &m)
	return m
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coolroom/testbed/lambda/internal/testdb"
)

// runMainEnv makes the test binary act as the bootstrap: the tests exec
// themselves with it set, which runs the real main without a go build.
const runMainEnv = "COOLROOM_TEST_RUN_BOOTSTRAP"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(testdb.Run(m))
}

// bootstrapCmd returns the bootstrap process with env on top of a clean
// environment (no DATABASE_URL or Lambda variables from the caller).
func bootstrapCmd(ctx context.Context, env ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append([]string{runMainEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	return cmd
}

func TestMissingDatabaseURL(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := bootstrapCmd(ctx, "AWS_LAMBDA_RUNTIME_API=127.0.0.1:1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if !strings.Contains(stderr.String(), "DATABASE_URL is not set") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestTokenSecretRequired(t *testing.T) {
	shortSecretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(shortSecretFile, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  []string
		want string
	}{
		{"missing", nil, "TOKEN_SECRET is not set"},
		{"too short", []string{"TOKEN_SECRET=short"}, "TOKEN_SECRET is too short"},
		{"dev mode is not a value", []string{"COOLROOM_DEV_MODE=true"}, "TOKEN_SECRET is not set"},
		{"unreadable file", []string{"TOKEN_SECRET_FILE=/nonexistent/token"}, "TOKEN_SECRET_FILE: open /nonexistent/token"},
		{"too short in a file", []string{"TOKEN_SECRET_FILE=" + shortSecretFile}, "TOKEN_SECRET is too short"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			// The database is never reached: the secret is checked first.
			env := append([]string{"DATABASE_URL=postgres://nobody@127.0.0.1:1/x", "AWS_LAMBDA_RUNTIME_API=127.0.0.1:1"}, tc.env...)
			cmd := bootstrapCmd(ctx, env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("exit: %v, want status 1", err)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr: %s", stderr.String())
			}
		})
	}
}

// runtimeAPI is a minimal Lambda Runtime API: it hands out queued events
// one at a time and collects the function's responses.
type runtimeAPI struct {
	events chan string
	mu     sync.Mutex
	got    map[string]string // request id -> response or error body
	done   chan string       // request ids as they complete
	seq    int
}

func newRuntimeAPI() *runtimeAPI {
	return &runtimeAPI{events: make(chan string, 16), got: map[string]string{}, done: make(chan string, 16)}
}

func (rt *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "/2018-06-01/runtime/invocation/"
	switch {
	case r.Method == "GET" && r.URL.Path == prefix+"next":
		select {
		case ev := <-rt.events:
			rt.mu.Lock()
			rt.seq++
			id := fmt.Sprintf("inv-%d", rt.seq)
			rt.mu.Unlock()
			w.Header().Set("Lambda-Runtime-Aws-Request-Id", id)
			w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
			w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:coolroom-data")
			_, _ = io.WriteString(w, ev)
		case <-r.Context().Done():
		}
	case r.Method == "POST" && strings.HasPrefix(r.URL.Path, prefix):
		id, kind, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, prefix), "/")
		b, _ := io.ReadAll(r.Body)
		rt.mu.Lock()
		rt.got[id] = kind + " " + string(b)
		rt.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		rt.done <- id
	default:
		http.NotFound(w, r)
	}
}

func (rt *runtimeAPI) invoke(t *testing.T, event string) string {
	t.Helper()
	rt.events <- event
	select {
	case id := <-rt.done:
		rt.mu.Lock()
		defer rt.mu.Unlock()
		return rt.got[id]
	case <-time.After(30 * time.Second):
		t.Fatal("no response from the function")
		return ""
	}
}

func v2Event(method, path, query, body string) string {
	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: path, RawQueryString: query,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			APIID: "abc123", DomainName: "abc123.execute-api.localhost", RequestID: "gw-" + path, Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: "127.0.0.1"},
		},
		Body: body,
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

func v1Event(method, path string, query map[string][]string, body string) string {
	ev := events.APIGatewayProxyRequest{
		Resource: "/{proxy+}", Path: path, HTTPMethod: method, MultiValueQueryStringParameters: query,
		MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}},
		RequestContext:    events.APIGatewayProxyRequestContext{Stage: "dev", RequestID: "gw1-" + path},
		Body:              body,
	}
	b, _ := json.Marshal(ev)
	return string(b)
}

// TestServesThroughRuntimeAPI runs the real main against a Runtime API
// and a real database, the way the emulator runs the built bootstrap.
func TestServesThroughRuntimeAPI(t *testing.T) {
	rt := newRuntimeAPI()
	srv := httptest.NewServer(rt)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := bootstrapCmd(ctx,
		"DATABASE_URL="+testdb.New(t),
		"TOKEN_SECRET=bootstrap-test-secret-0123456789",
		"AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(srv.URL, "http://"),
		"AWS_LAMBDA_FUNCTION_NAME=coolroom-data")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// stop ends the function (Lambda freezes and kills it too); Wait
	// also finishes copying its log, which is only read after.
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	defer func() {
		stop()
		if t.Failed() {
			t.Logf("function log:\n%s", stderr.String())
		}
	}()

	type check struct {
		name, event, want string
		status            int
	}
	checks := []check{
		{"v2 health", v2Event("GET", "/health", "", ""), `{\"status\":\"ok\"}`, 200},
		{"v2 register", v2Event("POST", "/users", "", `{"name":"A","username":"alice","email":"a@example.test","password":"a-Good-passphrase-1"}`), `\"token\":`, 201},
		{"v1 login", v1Event("POST", "/sessions", nil, `{"email":"a@example.test","password":"a-Good-passphrase-1"}`), `\"token\":`, 200},
		{"v2 create without a token", v2Event("POST", "/rooms", "", `{"name":"Go room","topic":"Go"}`), `unauthorized`, 401},
		{"v1 list", v1Event("GET", "/rooms", map[string][]string{"q": {"go"}}, ""), `\"total\":0`, 200},
		{"v1 422", v1Event("POST", "/users", nil, `{}`), `validation_failed`, 422},
		{"v2 404", v2Event("GET", "/nope", "", ""), `not_found`, 404},
	}
	for _, c := range checks {
		got := rt.invoke(t, c.event)
		kind, body, _ := strings.Cut(got, " ")
		if kind != "response" {
			t.Errorf("%s: function reported %s", c.name, got)
			continue
		}
		var res struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Errorf("%s: response %s: %v", c.name, body, err)
			continue
		}
		if res.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %s, want status %d containing %s", c.name, body, c.status, c.want)
		}
	}
	// A direct invocation with a non-API Gateway event is a function error.
	if got := rt.invoke(t, `{"hello":"world"}`); !strings.HasPrefix(got, "error ") {
		t.Errorf("unsupported event: %s", got)
	}

	// One cold start: the migrations ran once, and every request logged
	// one line carrying its Lambda request id.
	stop()
	log := stderr.String()
	files, err := filepath.Glob("../store/migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migration files: %v", err)
	}
	if n := strings.Count(log, `"msg":"applied migration"`); n != len(files) {
		t.Errorf("%d migration lines, want %d (one per file in store/migrations)", n, len(files))
	}
	for i := 1; i <= len(checks); i++ {
		if !strings.Contains(log, fmt.Sprintf(`"request_id":"inv-%d"`, i)) {
			t.Errorf("no log line for inv-%d", i)
		}
	}
}

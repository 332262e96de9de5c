package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/internal/testdb"
)

// TestPayloadFormatsAgree sends the same requests to the real function as
// payload 2.0 and as 1.0 events and compares what API Gateway would turn
// into the HTTP response: status, content type and body. COOLROOM_DEV_MODE
// runs it without TOKEN_SECRET (the fixed development secret).
func TestPayloadFormatsAgree(t *testing.T) {
	rt := newRuntimeAPI()
	srv := httptest.NewServer(rt)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := bootstrapCmd(ctx, "DATABASE_URL="+testdb.New(t), "COOLROOM_DEV_MODE=1",
		"AWS_LAMBDA_RUNTIME_API="+strings.TrimPrefix(srv.URL, "http://"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("function log:\n%s", stderr.String())
		}
	}()

	type result struct {
		Status int
		Type   string
		Body   string
	}
	call := func(event string) result {
		t.Helper()
		kind, body, _ := strings.Cut(rt.invoke(t, event), " ")
		if kind != "response" {
			t.Fatalf("function reported %s %s", kind, body)
		}
		var res struct {
			StatusCode        int                 `json:"statusCode"`
			Headers           map[string]string   `json:"headers"`
			MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
			Body              string              `json:"body"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		ct := res.Headers["Content-Type"]
		if v := res.MultiValueHeaders["Content-Type"]; ct == "" && len(v) > 0 {
			ct = v[0]
		}
		return result{res.StatusCode, ct, res.Body}
	}
	// A user and a room to read back, created through 2.0.
	reg := call(v2Event("POST", "/users", "", `{"name":"A","username":"alice","email":"a@example.test","password":"a-Good-passphrase-1"}`))
	var auth struct{ Token string }
	if err := json.Unmarshal([]byte(reg.Body), &auth); err != nil || reg.Status != 201 {
		t.Fatalf("register: %+v", reg)
	}
	withToken := func(ev string) string {
		return strings.Replace(ev, `"content-type":"application/json"`, `"content-type":"application/json","authorization":"Bearer `+auth.Token+`"`, 1)
	}
	if r := call(withToken(v2Event("POST", "/rooms", "", `{"name":"Go room","topic":"Go"}`))); r.Status != 201 {
		t.Fatalf("create: %+v", r)
	}

	for _, c := range []struct {
		method, path string
		query        map[string][]string
		body         string
	}{
		{"GET", "/health", nil, ""},
		{"GET", "/rooms", map[string][]string{"q": {"go"}}, ""},
		{"GET", "/rooms", map[string][]string{"page": {"x"}}, ""},
		{"GET", "/rooms/1", nil, ""},
		{"GET", "/rooms/999", nil, ""},
		{"GET", "/rooms/1/messages", map[string][]string{"after": {"0"}}, ""},
		{"GET", "/topics", nil, ""},
		{"GET", "/messages", map[string][]string{"q": {"go lang"}}, ""},
		{"GET", "/users/2", nil, ""},
		{"POST", "/sessions", nil, `{"email":"a@example.test","password":"wrong"}`},
		{"POST", "/rooms", nil, `{"name":"x","topic":"y"}`},
		{"POST", "/users", nil, `{"name":`},
		{"DELETE", "/rooms", nil, ""},
	} {
		var raw []string
		for k, vs := range c.query {
			for _, v := range vs {
				raw = append(raw, k+"="+strings.ReplaceAll(v, " ", "%20"))
			}
		}
		v2 := call(v2Event(c.method, c.path, strings.Join(raw, "&"), c.body))
		v1 := call(v1Event(c.method, c.path, c.query, c.body))
		if v2 != v1 {
			t.Errorf("%s %s %v:\n 2.0: %+v\n 1.0: %+v", c.method, c.path, c.query, v2, v1)
		}
		if v2.Type != "application/json" || v2.Status == 0 {
			t.Errorf("%s %s: %+v", c.method, c.path, v2)
		}
	}
}

package apigateway

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// FuzzSelectRoute throws arbitrary route keys and request paths at the
// router: it must never panic, and a match must really match.
func FuzzSelectRoute(f *testing.F) {
	seeds := [][3]string{
		{"GET /rooms/{id}", "GET", "/rooms/42"},
		{"ANY /{proxy+}", "POST", "/a/b/c"},
		{"$default", "GET", "/"},
		{"GET /a/{b}/c/{d+}", "GET", "/a/x/c/y/z"},
		{"PUT /%7Bx%7D", "PUT", "/%7Bx%7D"},
		{"GET /", "GET", "//"},
		{"DELETE /{a}/{b}", "DELETE", "/%2F/%zz"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, key, method, path string) {
		if _, err := parseRouteKey(key); err != nil {
			return
		}
		routes := map[string]*Route{"r": {RouteID: "r", RouteKey: key}}
		rt, params := selectRoute(routes, method, path)
		if rt == nil {
			return
		}
		k, _ := parseRouteKey(rt.RouteKey)
		if !k.isDef && k.method != "ANY" && k.method != method {
			t.Fatalf("route %q matched method %q", key, method)
		}
		for name := range params {
			if !strings.Contains(key, "{"+name) {
				t.Fatalf("parameter %q is not in route %q", name, key)
			}
		}
	})
}

// FuzzEventV2 builds payload 2.0 events from arbitrary requests: no panic,
// valid JSON, and the invariants AWS keeps (raw query verbatim, comma-joined
// values, cookies split out, binary bodies base64).
func FuzzEventV2(f *testing.F) {
	f.Add("GET", "/rooms?q=go&q=rust", "a=1; b=2", "text/plain", []byte("hello"))
	f.Add("POST", "/up%20load?x", "", "image/png", []byte{0x89, 'P', 'N', 'G', 0})
	f.Add("PATCH", "/?=&&=", ";;", "application/json; charset=utf-8", []byte(`{"a":"\u0000"}`))
	f.Add("DELETE", "/ünï/cödé?k=%ff", "c", "", []byte{0xff, 0xfe})
	f.Add("POST", "/rooms", "", "application/json", []byte("{\"name\":\"caf\xe9\"}"))
	f.Fuzz(func(t *testing.T, method, target, cookie, contentType string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil || !strings.HasPrefix(u.Path, "/") {
			return
		}
		r := &http.Request{Method: method, URL: u, Header: http.Header{}, Host: "abc.execute-api.localhost.localstack.cloud:4566",
			RemoteAddr: "127.0.0.1:5555", Proto: "HTTP/1.1"}
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		ri := requestInfo{r: r, body: body, api: &API{APIID: "abc"}, stage: DefaultStage, rawPath: u.EscapedPath(),
			routeKey: DefaultRoute, requestID: "id", at: time.Unix(0, 0)}
		ev := ri.eventV2()
		doc, err := json.Marshal(ev)
		if err != nil || !json.Valid(doc) {
			t.Fatalf("event does not marshal: %v", err)
		}
		if ev.RawQueryString != u.RawQuery {
			t.Fatalf("rawQueryString %q, want %q", ev.RawQueryString, u.RawQuery)
		}
		for k, vs := range u.Query() {
			if ev.QueryStringParameters[k] != strings.Join(vs, ",") {
				t.Fatalf("query %q = %q, want %q", k, ev.QueryStringParameters[k], strings.Join(vs, ","))
			}
		}
		if _, ok := ev.Headers["cookie"]; ok {
			t.Fatal("cookie header left in headers")
		}
		if len(body) == 0 && (ev.Body != "" || ev.IsBase64Encoded) {
			t.Fatal("empty body must be omitted")
		}
		// What the function gets is the event after JSON: the body's
		// bytes must survive it (invalid UTF-8 in a JSON string would
		// not).
		var got events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(doc, &got); err != nil {
			t.Fatal(err)
		}
		if got.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(got.Body)
			if err != nil || !bytes.Equal(b, body) {
				t.Fatal("base64 body does not round-trip")
			}
		} else if got.Body != string(body) {
			t.Fatalf("text body changed: %q, sent %q", got.Body, body)
		}
	})
}

// FuzzResolveStage splits arbitrary paths into stage and route path.
func FuzzResolveStage(f *testing.F) {
	for _, p := range []string{"/", "/dev/rooms", "/$default/x", "", "//", "/dev", "/prod/../x"} {
		f.Add(p)
	}
	a := &httpAPI{stages: map[string]*Stage{DefaultStage: {}, "dev": {}}}
	f.Fuzz(func(t *testing.T, path string) {
		stage, routePath, ok := resolveStage(a, path)
		if !ok {
			t.Fatalf("a $default API must serve %q", path)
		}
		if stage != DefaultStage && stage != "dev" {
			t.Fatalf("unknown stage %q", stage)
		}
		if !strings.HasPrefix(routePath, "/") {
			t.Fatalf("route path %q lacks a leading slash", routePath)
		}
	})
}

package adapter_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coolroom/testbed/lambda/adapter"
	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/router"
	"github.com/coolroom/testbed/lambda/service"
)

// A POST /rooms?q=go%20lang&page=2 with a JSON body, as an HTTP API sends
// it (payload 2.0, body base64-encoded as API Gateway does for some
// content types) ...
const eventV2 = `{
  "version": "2.0",
  "routeKey": "$default",
  "rawPath": "/rooms",
  "rawQueryString": "q=go%20lang&page=2",
  "cookies": ["session=abc"],
  "headers": {"content-type": "application/json", "x-trace": "t1", "host": "abc123.execute-api.localhost"},
  "queryStringParameters": {"q": "go lang", "page": "2"},
  "requestContext": {
    "accountId": "000000000000", "apiId": "abc123", "domainName": "abc123.execute-api.localhost",
    "http": {"method": "POST", "path": "/rooms", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "test"},
    "requestId": "apigw-req-v2", "routeKey": "$default", "stage": "$default",
    "time": "01/Jan/2025:00:00:00 +0000", "timeEpoch": 1735689600000
  },
  "body": "eyJuYW1lIjoiR28gcm9vbSIsInRvcGljIjoiR28ifQ==",
  "isBase64Encoded": true
}`

// ... and as a REST API sends it (payload 1.0, no "version").
const eventV1 = `{
  "resource": "/{proxy+}",
  "path": "/rooms",
  "httpMethod": "POST",
  "headers": {"Content-Type": "application/json", "X-Trace": "t1", "Cookie": "session=abc"},
  "multiValueHeaders": {"Content-Type": ["application/json"], "X-Trace": ["t1"], "Cookie": ["session=abc"]},
  "queryStringParameters": {"q": "go lang", "page": "2"},
  "multiValueQueryStringParameters": {"q": ["go lang"], "page": ["2"]},
  "pathParameters": {"proxy": "rooms"},
  "stageVariables": null,
  "requestContext": {
    "accountId": "000000000000", "apiId": "abc123", "resourcePath": "/{proxy+}", "httpMethod": "POST",
    "path": "/dev/rooms", "stage": "dev", "requestId": "apigw-req-v1", "identity": {"sourceIp": "127.0.0.1"}
  },
  "body": "{\"name\":\"Go room\",\"topic\":\"Go\"}",
  "isBase64Encoded": false
}`

// An HTTP API integration can also be configured for payload 1.0, which
// says so in "version".
var eventV1FromHTTPAPI = strings.Replace(eventV1, `"resource"`, `"version": "1.0", "resource"`, 1)

// echo answers with what it received, so equal responses mean the
// adapter rebuilt the same request from both formats.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Echo", "yes")
	w.WriteHeader(http.StatusTeapot)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"method":     r.Method,
		"path":       r.URL.Path,
		"q":          r.URL.Query().Get("q"),
		"page":       r.URL.Query().Get("page"),
		"body":       string(body),
		"trace":      r.Header.Get("X-Trace"),
		"cookie":     r.Header.Get("Cookie"),
		"request_id": router.RequestID(r.Context()),
	})
})

// invoke runs raw through the same reflection and JSON path lambda.Start
// uses, returning the response JSON the runtime would post back.
func invoke(t *testing.T, h http.Handler, ctx context.Context, raw string) []byte {
	t.Helper()
	out, err := lambda.NewHandler(adapter.New(h).Handle).Invoke(ctx, []byte(raw))
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	return out
}

// result is the part of both response formats the gateway turns into the
// HTTP response.
type result struct {
	Status  int
	Type    string
	Echo    string
	Body    string
	Base64  bool
	Version string
}

func decodeV2(t *testing.T, out []byte) result {
	t.Helper()
	var r events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	// Only the v2 response has "cookies"; the v1 one "multiValueHeaders".
	if !strings.Contains(string(out), `"cookies"`) {
		t.Errorf("not a payload 2.0 response: %s", out)
	}
	return result{r.StatusCode, r.Headers["Content-Type"], r.Headers["X-Echo"], r.Body, r.IsBase64Encoded, "2.0"}
}

func decodeV1(t *testing.T, out []byte) result {
	t.Helper()
	var r events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"multiValueHeaders"`) {
		t.Errorf("not a payload 1.0 response: %s", out)
	}
	// The v1 writer fills multiValueHeaders only; API Gateway merges both.
	h := http.Header(r.MultiValueHeaders)
	for k, v := range r.Headers {
		h.Add(k, v)
	}
	return result{r.StatusCode, h.Get("Content-Type"), h.Get("X-Echo"), r.Body, r.IsBase64Encoded, "1.0"}
}

func TestV2AndV1GiveTheSameResponse(t *testing.T) {
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "lambda-req-1"})
	v2 := decodeV2(t, invoke(t, echo, ctx, eventV2))
	v1 := decodeV1(t, invoke(t, echo, ctx, eventV1))
	v1h := decodeV1(t, invoke(t, echo, ctx, eventV1FromHTTPAPI))

	want := result{Status: 418, Type: "application/json", Echo: "yes",
		Body: `{"body":"{\"name\":\"Go room\",\"topic\":\"Go\"}","cookie":"session=abc","method":"POST",` +
			`"page":"2","path":"/rooms","q":"go lang","request_id":"lambda-req-1","trace":"t1"}` + "\n"}
	for _, got := range []result{v2, v1, v1h} {
		version := got.Version
		got.Version = ""
		if got != want {
			t.Errorf("payload %s response:\n got %+v\nwant %+v", version, got, want)
		}
	}
}

func TestGatewayRequestIDWithoutLambdaContext(t *testing.T) {
	ctx := context.Background()
	var v2, v1 map[string]string
	if err := json.Unmarshal([]byte(decodeV2(t, invoke(t, echo, ctx, eventV2)).Body), &v2); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(decodeV1(t, invoke(t, echo, ctx, eventV1)).Body), &v1); err != nil {
		t.Fatal(err)
	}
	if v2["request_id"] != "apigw-req-v2" || v1["request_id"] != "apigw-req-v1" {
		t.Errorf("request ids %q, %q", v2["request_id"], v1["request_id"])
	}
}

// fakeStore lets the real handler run without a database; methods the
// test does not use panic through the nil embedded interface.
type fakeStore struct{ service.Store }

// SessionActive accepts every session: revocation is tested in router.
func (fakeStore) SessionActive(context.Context, int64, int64) (bool, error) { return true, nil }

func (fakeStore) ListRooms(_ context.Context, q service.RoomQuery, perPage int) (contract.RoomPage, error) {
	return contract.RoomPage{Rooms: []contract.Room{}, Total: 0, Page: q.Page, PerPage: perPage}, nil
}
func (fakeStore) CreateRoom(_ context.Context, hostID int64, in contract.NewRoom) (contract.Room, error) {
	return contract.Room{ID: 9, Name: in.Name, Topic: contract.Topic{ID: 1, Name: in.Topic, Rooms: 1},
		Host: contract.UserSummary{ID: hostID, Username: "alice"}}, nil
}

// plainHasher avoids argon2 in a test that never logs in.
type plainHasher struct{}

func (plainHasher) Hash(pw string) (string, error)    { return pw, nil }
func (plainHasher) Verify(h, pw string) (bool, error) { return h == pw, nil }
func (plainHasher) Unmatchable() (string, error)      { return "\x00", nil } // no password holds NUL

func TestDataServiceThroughBothFormats(t *testing.T) {
	tokens, _ := service.NewTokenSigner([]byte("0123456789abcdef"), time.Hour)
	svc, err := service.New(fakeStore{}, service.Options{Hasher: plainHasher{}, Tokens: tokens})
	if err != nil {
		t.Fatal(err)
	}
	h := router.New(svc, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	// The create carries alice's (user 1) token in both formats.
	token := tokens.Issue(1, 1, tokens.Expiry(time.Now()))
	createV2 := strings.Replace(eventV2, `"x-trace": "t1"`, `"x-trace": "t1", "authorization": "Bearer `+token+`"`, 1)
	createV1 := strings.Replace(eventV1, `"X-Trace": ["t1"]`, `"X-Trace": ["t1"], "Authorization": ["Bearer `+token+`"]`, 1)
	get := func(path, query string) (string, string) {
		v2 := strings.NewReplacer(`"POST"`, `"GET"`, `"/rooms"`, `"`+path+`"`,
			`"rawQueryString": "q=go%20lang&page=2"`, `"rawQueryString": "`+query+`"`).Replace(eventV2)
		v1 := strings.NewReplacer(`"POST"`, `"GET"`, `"path": "/rooms"`, `"path": "`+path+`"`,
			`"multiValueQueryStringParameters": {"q": ["go lang"], "page": ["2"]}`,
			`"multiValueQueryStringParameters": {"page": ["`+strings.TrimPrefix(query, "page=")+`"]}`).Replace(eventV1)
		return v2, v1
	}
	cases := []struct {
		name   string
		v2, v1 string
		status int
		body   string
	}{
		{name: "create", v2: createV2, v1: createV1, status: 201,
			body: `{"id":9,"name":"Go room","description":"","topic":{"id":1,"name":"Go","rooms":1},` +
				`"host":{"id":1,"username":"alice","name":"","avatar":""},"participants":0,` +
				`"created":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z"}`},
		{name: "bad page", status: 400,
			body: `{"error":{"code":"bad_request","message":"page must be a positive integer","fields":{"page":"must be a positive integer"}}}`},
		{name: "not found", status: 404, body: `{"error":{"code":"not_found","message":"no route for GET /nope"}}`},
	}
	cases[1].v2, cases[1].v1 = get("/rooms", "page=zero")
	cases[2].v2, cases[2].v1 = get("/nope", "page=1")
	// Without the token, both formats get the same 401.
	cases = append(cases, struct {
		name   string
		v2, v1 string
		status int
		body   string
	}{"create without a token", eventV2, eventV1, 401,
		`{"error":{"code":"unauthorized","message":"creating a room needs a bearer token; log in first"}}`})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v2 := decodeV2(t, invoke(t, h, ctx, tc.v2))
			v1 := decodeV1(t, invoke(t, h, ctx, tc.v1))
			for _, got := range []result{v2, v1} {
				if got.Status != tc.status || got.Body != tc.body+"\n" || got.Type != "application/json" || got.Base64 {
					t.Errorf("payload %s: %d %q %q", got.Version, got.Status, got.Type, got.Body)
				}
			}
		})
	}
}

func TestUnsupportedEvents(t *testing.T) {
	a := adapter.New(echo)
	for _, raw := range []string{`{}`, `{"hello":"world"}`, `[1,2]`, `"x"`, `{"version":"1.0"}`} {
		_, err := a.Handle(context.Background(), json.RawMessage(raw))
		if !errors.Is(err, adapter.ErrUnsupportedEvent) {
			t.Errorf("Handle(%s) err = %v, want ErrUnsupportedEvent", raw, err)
		}
	}
	// A syntactically broken body in a valid event is the adapter's error,
	// reported to Lambda rather than passed on as a request.
	broken := strings.Replace(eventV2, `"eyJuYW1lIjoiR28gcm9vbSIsInRvcGljIjoiR28ifQ=="`, `"!!not base64"`, 1)
	if _, err := a.Handle(context.Background(), json.RawMessage(broken)); err == nil {
		t.Error("bad base64 body accepted")
	}
}

func TestNamedStageIsStripped(t *testing.T) {
	ctx := context.Background()
	path := func(out []byte, decode func(*testing.T, []byte) result) string {
		var m map[string]string
		if err := json.Unmarshal([]byte(decode(t, out).Body), &m); err != nil {
			t.Fatal(err)
		}
		return m["path"]
	}
	// HTTP API, payload 2.0, stage "dev": rawPath carries the stage.
	v2 := strings.NewReplacer(`"rawPath": "/rooms"`, `"rawPath": "/dev/rooms"`,
		`"path": "/rooms"`, `"path": "/dev/rooms"`, `"stage": "$default"`, `"stage": "dev"`).Replace(eventV2)
	if got := path(invoke(t, echo, ctx, v2), decodeV2); got != "/rooms" {
		t.Errorf("payload 2.0 on stage dev: handler saw %q", got)
	}
	// HTTP API, payload 1.0, stage "dev": path carries the stage too.
	v1h := strings.NewReplacer(`"path": "/rooms"`, `"path": "/dev/rooms"`).Replace(eventV1FromHTTPAPI)
	if got := path(invoke(t, echo, ctx, v1h), decodeV1); got != "/rooms" {
		t.Errorf("HTTP API payload 1.0 on stage dev: handler saw %q", got)
	}
	// REST API: path never has the stage, so a path that merely starts
	// with the stage's name is left alone.
	rest := strings.NewReplacer(`"path": "/rooms"`, `"path": "/dev/rooms"`).Replace(eventV1)
	if got := path(invoke(t, echo, ctx, rest), decodeV1); got != "/dev/rooms" {
		t.Errorf("REST on stage dev: handler saw %q", got)
	}
}

// TestSourceIPReachesTheHandler: the per-client login limit keys on the
// caller's address, which API Gateway reports as
// requestContext.http.sourceIp (2.0) or requestContext.identity.sourceIp
// (1.0); the handler sees it as RemoteAddr in both formats.
func TestSourceIPReachesTheHandler(t *testing.T) {
	var got []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.RemoteAddr)
		w.WriteHeader(http.StatusNoContent)
	})
	ctx := context.Background()
	invoke(t, h, ctx, strings.Replace(eventV2, `"sourceIp": "127.0.0.1"`, `"sourceIp": "203.0.113.9"`, 1))
	invoke(t, h, ctx, strings.Replace(eventV1, `"sourceIp": "127.0.0.1"`, `"sourceIp": "2001:db8::7"`, 1))
	if want := []string{"203.0.113.9", "2001:db8::7"}; !slices.Equal(got, want) {
		t.Errorf("RemoteAddr = %q, want %q", got, want)
	}
}

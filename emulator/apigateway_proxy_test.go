package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// seenRequest is what the test upstream received, as it reports it.
type seenRequest struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// startUpstream is a local HTTP backend that answers 201 with the request
// it saw as JSON (and sleeps on /slow).
func startUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/slow") {
			time.Sleep(500 * time.Millisecond)
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Upstream", "yes")
		w.Header().Set("Access-Control-Allow-Origin", "https://backend.example")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_ = json.NewEncoder(w).Encode(seenRequest{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Body: string(body), Header: r.Header})
	}))
	t.Cleanup(up.Close)
	return up
}

// proxyAPI creates an HTTP API with a $default stage and one HTTP_PROXY
// integration per route: routeKey → integration input.
func proxyAPI(t *testing.T, gw *apigatewayv2.Client, srv *httptest.Server, routes map[string]*apigatewayv2.CreateIntegrationInput) httpAPI {
	t.Helper()
	ctx := context.Background()
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("proxy"), ProtocolType: apitypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	for key, in := range routes {
		in.ApiId = api.ApiId
		integ, err := gw.CreateIntegration(ctx, in)
		if err != nil {
			t.Fatalf("integration for %s: %v", key, err)
		}
		if _, err := gw.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String(key), Target: aws.String("integrations/" + *integ.IntegrationId)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gw.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	return httpAPI{srv: srv, apiID: *api.ApiId, gw: gw}
}

func httpProxy(uri, method string) *apigatewayv2.CreateIntegrationInput {
	return &apigatewayv2.CreateIntegrationInput{IntegrationType: apitypes.IntegrationTypeHttpProxy, IntegrationUri: aws.String(uri),
		IntegrationMethod: aws.String(method), PayloadFormatVersion: aws.String("1.0")}
}

func decodeSeen(t *testing.T, body string) seenRequest {
	t.Helper()
	var seen seenRequest
	if err := json.Unmarshal([]byte(body), &seen); err != nil {
		t.Fatalf("upstream answer %q: %v", body, err)
	}
	return seen
}

func TestHTTPProxyIntegration(t *testing.T) {
	_, srv, _ := startEmulator(t)
	up := startUpstream(t)
	gw := gatewayClient(srv, "eu-west-1")
	slow := httpProxy(up.URL+"/slow", "GET")
	slow.TimeoutInMillis = aws.Int32(100)
	a := proxyAPI(t, gw, srv, map[string]*apigatewayv2.CreateIntegrationInput{
		"ANY /svc/{proxy+}":   httpProxy(up.URL+"/base/{proxy}", "ANY"),
		"POST /items/{id}":    httpProxy(up.URL+"/things/{id}?fixed=1", "GET"),
		"GET /plain/{proxy+}": httpProxy(up.URL+"/only", "GET"),
		"GET /slow":           slow,
	})

	resp, body := a.do(t, http.MethodPut, "/svc/a/b%20c?x=1&x=2", http.Header{"X-Client": {"yes"}}, "hello")
	seen := decodeSeen(t, body)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Upstream") != "yes" {
		t.Errorf("status %d, X-Upstream %q: want the upstream's 201 and headers", resp.StatusCode, resp.Header.Get("X-Upstream"))
	}
	if seen.Method != "PUT" || seen.Path != "/base/a/b%20c" || seen.Query != "x=1&x=2" || seen.Body != "hello" || seen.Header.Get("X-Client") != "yes" {
		t.Errorf("ANY integration: upstream saw %s %s ?%s body %q X-Client %q", seen.Method, seen.Path, seen.Query, seen.Body, seen.Header.Get("X-Client"))
	}
	if resp.Header.Get("Apigw-Requestid") == "" {
		t.Error("no apigw-requestid on a proxied answer")
	}

	_, body = a.do(t, http.MethodPost, "/items/7?q=z", nil, "")
	if seen := decodeSeen(t, body); seen.Method != "GET" || seen.Path != "/things/7" || seen.Query != "fixed=1&q=z" {
		t.Errorf("integrationMethod GET: upstream saw %s %s ?%s", seen.Method, seen.Path, seen.Query)
	}
	_, body = a.do(t, http.MethodGet, "/plain/x/y", nil, "")
	if seen := decodeSeen(t, body); seen.Path != "/only" {
		t.Errorf("a URI without variables: upstream saw path %s, want /only", seen.Path)
	}
	if resp, _ := a.do(t, http.MethodGet, "/slow", nil, ""); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("upstream slower than the 100 ms timeout: status %d, want 503", resp.StatusCode)
	}

	ctx := context.Background()
	apiID := aws.String(a.apiID)
	for name, in := range map[string]*apigatewayv2.CreateIntegrationInput{
		"no method":   {IntegrationType: apitypes.IntegrationTypeHttpProxy, IntegrationUri: aws.String(up.URL), PayloadFormatVersion: aws.String("1.0")},
		"not a URL":   httpProxy("ftp://example/x", "GET"),
		"payload 2.0": {IntegrationType: apitypes.IntegrationTypeHttpProxy, IntegrationUri: aws.String(up.URL), IntegrationMethod: aws.String("GET"), PayloadFormatVersion: aws.String("2.0")},
	} {
		in.ApiId = apiID
		_, err := gw.CreateIntegration(ctx, in)
		wantAPIError(t, "BadRequestException", name, err)
	}

	quick, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("quick"), ProtocolType: apitypes.ProtocolTypeHttp, Target: aws.String(up.URL + "/q")})
	if err != nil {
		t.Fatal(err)
	}
	_, body = httpAPI{srv: srv, apiID: *quick.ApiId}.do(t, http.MethodDelete, "/anything", nil, "")
	if seen := decodeSeen(t, body); seen.Method != "DELETE" || seen.Path != "/q" {
		t.Errorf("quick create with a URL target: upstream saw %s %s", seen.Method, seen.Path)
	}
}

func TestHTTPAPIParameterMapping(t *testing.T) {
	_, srv, _ := startEmulator(t)
	up := startUpstream(t)
	gw := gatewayClient(srv, "eu-west-1")
	mapped := httpProxy(up.URL+"/things/{id}", "GET")
	mapped.RequestParameters = map[string]string{
		"overwrite:header.x-user":   "user-$request.querystring.who",
		"append:header.x-multi":     "added",
		"remove:header.x-secret":    "''",
		"append:querystring.source": "gw-${context.stage}",
		"overwrite:querystring.who": "$request.header.x-real",
		"overwrite:path":            "/mapped/$request.path.id",
	}
	a := proxyAPI(t, gw, srv, map[string]*apigatewayv2.CreateIntegrationInput{"GET /things/{id}": mapped})
	h := http.Header{"X-Secret": {"s"}, "X-Multi": {"orig"}, "X-Real": {"bob"}}
	_, body := a.do(t, http.MethodGet, "/things/5?who=ann", h, "")
	seen := decodeSeen(t, body)
	if seen.Path != "/mapped/5" {
		t.Errorf("overwrite:path: upstream path %s, want /mapped/5", seen.Path)
	}
	if seen.Header.Get("X-User") != "user-ann" || seen.Header.Get("X-Secret") != "" || strings.Join(seen.Header.Values("X-Multi"), ",") != "orig,added" {
		t.Errorf("headers: X-User %q X-Secret %q X-Multi %q", seen.Header.Get("X-User"), seen.Header.Get("X-Secret"), seen.Header.Values("X-Multi"))
	}
	if seen.Query != "source=gw-%24default&who=bob" {
		t.Errorf("query = %q, want source=gw-%%24default&who=bob", seen.Query)
	}

	ctx := context.Background()
	for _, key := range []string{"overwrite:header.host", "append:path", "rename:header.x", "overwrite:header.x-amz-date", "overwrite:body"} {
		in := httpProxy(up.URL, "GET")
		in.ApiId, in.RequestParameters = aws.String(a.apiID), map[string]string{key: "v"}
		_, err := gw.CreateIntegration(ctx, in)
		wantAPIError(t, "BadRequestException", key, err)
	}
}

func TestHTTPAPIParameterMappingToLambda(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 30000, "GET /items/{id}")
	ctx := context.Background()
	integs, err := a.gw.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(a.apiID)})
	if err != nil || len(integs.Items) != 1 {
		t.Fatalf("GetIntegrations = %+v, %v", integs, err)
	}
	if _, err := a.gw.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: aws.String(a.apiID), IntegrationId: integs.Items[0].IntegrationId,
		RequestParameters: map[string]string{"overwrite:header.x-item": "item-$request.path.id", "append:querystring.via": "gateway"}}); err != nil {
		t.Fatal(err)
	}
	_, body := a.do(t, http.MethodGet, "/items/9?a=1", nil, "")
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Headers["x-item"] != "item-9" || ev.QueryStringParameters["via"] != "gateway" || ev.QueryStringParameters["a"] != "1" {
		t.Errorf("event headers x-item %q, query %v; want the mapped values", ev.Headers["x-item"], ev.QueryStringParameters)
	}
}

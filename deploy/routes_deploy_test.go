package deploy_test

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/coolroom/testbed/internal/syncbuf"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/pgtemp"
)

// routesEnv is an emulator and a PostgreSQL for deploying the real
// data service.
type routesEnv struct {
	url  string
	cfg  func(flavour deploy.Flavour, name string) deploy.Config
	logs *syncbuf.Buffer
}

func newRoutesEnv(t *testing.T) *routesEnv {
	t.Helper()
	if _, err := pgtemp.FindBinDir(); errors.Is(err, pgtemp.ErrNoBinaries) {
		t.Skip(err)
	}
	ctx := context.Background()
	pg, err := pgtemp.Start(ctx, pgtemp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	logs := &syncbuf.Buffer{} // the emulator's goroutines write it
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); _ = emu.Shutdown(context.Background()) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("emulator log:\n%s", logs.String())
		}
	})
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return &routesEnv{url: srv.URL, logs: logs, cfg: func(flavour deploy.Flavour, name string) deploy.Config {
		return deploy.Config{
			AWS:          aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
			EndpointURL:  srv.URL,
			SourceDir:    root,
			GOARCH:       runtime.GOARCH,
			FunctionName: name + "-data",
			APIName:      name + "-api",
			Bucket:       name + "-static",
			Flavour:      flavour,
			Env:          map[string]string{"DATABASE_URL": pg.URL(), "TOKEN_SECRET": "a-test-secret-of-32-characters!!"},
		}
	}}
}

// call sends a request through API Gateway and returns the status and body.
func call(t *testing.T, method, url string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// consoleTrace is what the console recorded for one gateway request.
type consoleTrace struct {
	RouteKey   string            `json:"routeKey"`
	PathParams map[string]string `json:"pathParameters"`
	Status     int               `json:"status"`
}

func traceOf(t *testing.T, emulatorURL string, header http.Header) consoleTrace {
	t.Helper()
	id := header.Get("Apigw-Requestid")
	_, body, _ := call(t, http.MethodGet, emulatorURL+"/_console/api/traces?id="+id)
	var doc struct {
		Traces []consoleTrace `json:"traces"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Traces) != 1 {
		t.Fatalf("console traces for %q: %v, %s", id, err, body)
	}
	return doc.Traces[0]
}

// TestHTTPAPIHasOneRoutePerEndpoint deploys the data service and checks
// what API Gateway shows and does: one route per data-API endpoint plus
// $default, the matched route and its path parameters in the console's
// trace, the contract's JSON 404 and 405 through $default; a re-deploy
// restores routes that were removed or added by hand, and a third run
// changes nothing.
func TestHTTPAPIHasOneRoutePerEndpoint(t *testing.T) {
	t.Parallel()
	env := newRoutesEnv(t)
	ctx := context.Background()
	cfg := env.cfg(deploy.FlavourHTTP, "routes")
	res, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	apigw := apigatewayv2.NewFromConfig(cfg.AWS, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(env.url) })
	routeKeys := func() []string {
		out, err := apigw.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(res.APIID)})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, r := range out.Items {
			keys = append(keys, aws.ToString(r.RouteKey))
		}
		sort.Strings(keys)
		return keys
	}
	want := append(append([]string(nil), deploy.DataAPIRoutes...), "$default")
	sort.Strings(want)
	if got := routeKeys(); !slices.Equal(got, want) || res.Routes != len(want) {
		t.Fatalf("routes %q (Result.Routes %d), want %q", got, res.Routes, want)
	}
	for _, key := range []string{"GET /rooms", "POST /rooms", "GET /rooms/{id}", "PATCH /rooms/{id}", "$default"} {
		if !slices.Contains(want, key) {
			t.Errorf("no route %q", key)
		}
	}

	status, body, h := call(t, http.MethodGet, res.InvokeURL+"/rooms/42")
	if status != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
		t.Errorf("GET /rooms/42 = %d %s, want the contract's 404", status, body)
	}
	if tr := traceOf(t, env.url, h); tr.RouteKey != "GET /rooms/{id}" || tr.PathParams["id"] != "42" {
		t.Errorf("trace of GET /rooms/42: route %q params %v; want GET /rooms/{id} with id=42", tr.RouteKey, tr.PathParams)
	}
	status, _, h = call(t, http.MethodGet, res.InvokeURL+"/rooms")
	if tr := traceOf(t, env.url, h); status != http.StatusOK || tr.RouteKey != "GET /rooms" || len(tr.PathParams) != 0 {
		t.Errorf("GET /rooms = %d, trace route %q params %v", status, tr.RouteKey, tr.PathParams)
	}
	status, body, h = call(t, http.MethodGet, res.InvokeURL+"/no-such-thing")
	if status != http.StatusNotFound || !strings.Contains(body, `"code":"not_found"`) {
		t.Errorf("GET /no-such-thing = %d %s, want the contract's JSON 404 from $default", status, body)
	}
	if tr := traceOf(t, env.url, h); tr.RouteKey != "$default" {
		t.Errorf("unknown path matched %q, want $default", tr.RouteKey)
	}
	status, body, h = call(t, http.MethodPut, res.InvokeURL+"/rooms/1")
	if status != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, PATCH, DELETE" || !strings.Contains(body, "method_not_allowed") {
		t.Errorf("PUT /rooms/1 = %d Allow %q %s, want the contract's 405 through $default", status, h.Get("Allow"), body)
	}
	// The console's page shows the route and the parameter too.
	_, page, _ := call(t, http.MethodGet, env.url+"/_console/")
	if !strings.Contains(page, "GET /rooms/{id}") || !strings.Contains(page, `class="param-value">42<`) {
		t.Error("the console page does not show the route GET /rooms/{id} with id = 42")
	}

	// Drift: a route deleted and an old catch-all added by hand.
	out, _ := apigw.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(res.APIID)})
	for _, r := range out.Items {
		if aws.ToString(r.RouteKey) == "GET /topics" {
			if _, err := apigw.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String(res.APIID), RouteId: r.RouteId}); err != nil {
				t.Fatal(err)
			}
			if _, err := apigw.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: aws.String(res.APIID), RouteKey: aws.String("ANY /{proxy+}"), Target: r.Target}); err != nil {
				t.Fatal(err)
			}
		}
	}
	again, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(again.Changed, "route GET /topics") || !slices.Contains(again.Changed, "removed route ANY /{proxy+}") {
		t.Errorf("re-deploy changed %v; want GET /topics back and ANY /{proxy+} removed", again.Changed)
	}
	if got := routeKeys(); !slices.Equal(got, want) {
		t.Errorf("after re-deploy routes %q, want %q", got, want)
	}
	third, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Changed) != 0 {
		t.Errorf("third deploy changed %v, want nothing", third.Changed)
	}
}

// TestRESTAPIHasOneMethodPerEndpoint is the same for the REST flavour:
// one resource per path with one method per endpoint, ANY on the root and
// /{proxy+} as the catch-all; a known resource with another method is
// API Gateway's 403 Missing Authentication Token, as on AWS.
func TestRESTAPIHasOneMethodPerEndpoint(t *testing.T) {
	t.Parallel()
	env := newRoutesEnv(t)
	ctx := context.Background()
	cfg := env.cfg(deploy.FlavourREST, "restroutes")
	res, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rest := apigateway.NewFromConfig(cfg.AWS, func(o *apigateway.Options) { o.BaseEndpoint = aws.String(env.url) })
	methods := func() ([]string, map[string]string) {
		out, err := rest.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: aws.String(res.APIID), Embed: []string{"methods"}, Limit: aws.Int32(500)})
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		ids := map[string]string{}
		for _, r := range out.Items {
			ids[aws.ToString(r.Path)] = aws.ToString(r.Id)
			for m := range r.ResourceMethods {
				keys = append(keys, m+" "+aws.ToString(r.Path))
			}
		}
		sort.Strings(keys)
		return keys, ids
	}
	want := append(append([]string(nil), deploy.DataAPIRoutes...), "ANY /", "ANY /{proxy+}")
	sort.Strings(want)
	got, ids := methods()
	if !slices.Equal(got, want) || res.Routes != len(want) {
		t.Fatalf("methods %q (Result.Routes %d), want %q", got, res.Routes, want)
	}

	status, _, h := call(t, http.MethodGet, res.InvokeURL+"/rooms/7/messages")
	if tr := traceOf(t, env.url, h); status != http.StatusNotFound || tr.RouteKey != "GET /rooms/{id}/messages" || tr.PathParams["id"] != "7" {
		t.Errorf("GET /rooms/7/messages = %d, trace route %q params %v", status, tr.RouteKey, tr.PathParams)
	}
	status, body, h := call(t, http.MethodGet, res.InvokeURL+"/no/such/thing")
	if tr := traceOf(t, env.url, h); status != http.StatusNotFound || !strings.Contains(body, `"not_found"`) || tr.RouteKey != "ANY /{proxy+}" || tr.PathParams["proxy"] != "no/such/thing" {
		t.Errorf("GET /no/such/thing = %d %s, route %q params %v; want the contract's 404 through ANY /{proxy+}", status, body, tr.RouteKey, tr.PathParams)
	}
	status, body, _ = call(t, http.MethodPut, res.InvokeURL+"/rooms/1")
	if status != http.StatusForbidden || !strings.Contains(body, "Missing Authentication Token") {
		t.Errorf("PUT /rooms/1 = %d %s, want REST's 403 Missing Authentication Token", status, body)
	}

	// Drift: a method deleted, a stale resource with a method added.
	if _, err := rest.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: aws.String(res.APIID), ResourceId: aws.String(ids["/topics"]), HttpMethod: aws.String("GET")}); err != nil {
		t.Fatal(err)
	}
	stale, err := rest.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: aws.String(res.APIID), ParentId: aws.String(ids["/"]), PathPart: aws.String("old")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rest.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: aws.String(res.APIID), ResourceId: stale.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}); err != nil {
		t.Fatal(err)
	}
	again, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(again.Changed, "method GET /topics") || !slices.Contains(again.Changed, "removed resource /old") ||
		!slices.Contains(again.Changed, "deployment to stage api") {
		t.Errorf("re-deploy changed %v; want GET /topics back, /old removed, a new deployment", again.Changed)
	}
	if got, _ := methods(); !slices.Equal(got, want) {
		t.Errorf("after re-deploy methods %q, want %q", got, want)
	}
	third, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(third.Changed) != 0 {
		t.Errorf("third deploy changed %v, want nothing", third.Changed)
	}
}

package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/aws/aws-lambda-go/events"
)

type httpAPI struct {
	srv   *httptest.Server
	apiID string
	gw    *apigatewayv2.Client
}

// setupHTTPAPI deploys testfn behind an HTTP API with the given routes,
// all integrated with one AWS_PROXY integration of the given payload version.
func setupHTTPAPI(t testing.TB, version string, timeoutMS int32, routeKeys ...string) httpAPI {
	t.Helper()
	_, srv, cfg := startEmulator(t)
	lc := lambdaClient(srv, cfg)
	createTestFunction(t, lc, "api-fn", 60)
	fn, err := lc.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("api-fn")})
	if err != nil {
		t.Fatal(err)
	}
	gw := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	ctx := context.Background()
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("test-api"), ProtocolType: apitypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	integ, err := gw.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: apitypes.IntegrationTypeAwsProxy,
		IntegrationUri: fn.Configuration.FunctionArn, PayloadFormatVersion: aws.String(version),
		TimeoutInMillis: aws.Int32(timeoutMS),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range routeKeys {
		if _, err := gw.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
			ApiId: api.ApiId, RouteKey: aws.String(key), Target: aws.String("integrations/" + *integ.IntegrationId),
		}); err != nil {
			t.Fatalf("route %s: %v", key, err)
		}
	}
	if _, err := gw.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	return httpAPI{srv: srv, apiID: *api.ApiId, gw: gw}
}

func (a httpAPI) do(t *testing.T, method, path string, header http.Header, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+"/_aws/execute-api/"+a.apiID+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestHTTPAPIPayloadV2(t *testing.T) {
	t.Parallel()
	a := setupHTTPAPI(t, "2.0", 30000, "GET /items/{id}", "ANY /{proxy+}", "$default")

	t.Run("event 2.0 as AWS builds it", func(t *testing.T) {
		h := http.Header{"Cookie": {"c1=v1; c2=v2"}, "X-Multi": {"a", "b"}, "Content-Type": {"application/json"}}
		resp, body := a.do(t, http.MethodGet, "/items/42?tag=x&tag=y&solo=1", h, "")
		if resp.StatusCode != 201 || resp.Header.Get("X-Testfn") != "yes" {
			t.Fatalf("status %d X-Testfn %q body %s", resp.StatusCode, resp.Header.Get("X-Testfn"), body)
		}
		if got := resp.Header.Values("Set-Cookie"); len(got) != 2 || got[0] != "a=1; Path=/" {
			t.Errorf("Set-Cookie = %q, want the function's two cookies", got)
		}
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			t.Fatal(err)
		}
		checks := map[string][2]string{
			"version":        {ev.Version, "2.0"},
			"routeKey":       {ev.RouteKey, "GET /items/{id}"},
			"rawPath":        {ev.RawPath, "/items/42"},
			"rawQueryString": {ev.RawQueryString, "tag=x&tag=y&solo=1"},
			"query tag":      {ev.QueryStringParameters["tag"], "x,y"},
			"path id":        {ev.PathParameters["id"], "42"},
			"header x-multi": {ev.Headers["x-multi"], "a,b"},
			"stage":          {ev.RequestContext.Stage, "$default"},
			"http.method":    {ev.RequestContext.HTTP.Method, "GET"},
			"http.path":      {ev.RequestContext.HTTP.Path, "/items/42"},
			"apiId":          {ev.RequestContext.APIID, a.apiID},
		}
		for name, c := range checks {
			if c[0] != c[1] {
				t.Errorf("%s = %q, want %q", name, c[0], c[1])
			}
		}
		if strings.Join(ev.Cookies, "|") != "c1=v1|c2=v2" || ev.Headers["cookie"] != "" {
			t.Errorf("cookies = %q, cookie header %q; want the array and no header", ev.Cookies, ev.Headers["cookie"])
		}
		if ev.RequestContext.RequestID == "" || resp.Header.Get("Apigw-Requestid") != ev.RequestContext.RequestID {
			t.Errorf("request id %q vs header %q", ev.RequestContext.RequestID, resp.Header.Get("Apigw-Requestid"))
		}
	})

	t.Run("most specific route wins", func(t *testing.T) {
		for path, want := range map[string]string{"/items/7": "GET /items/{id}", "/items/7/x": "ANY /{proxy+}", "/": "$default"} {
			_, body := a.do(t, http.MethodGet, path, nil, "")
			var ev events.APIGatewayV2HTTPRequest
			_ = json.Unmarshal([]byte(body), &ev)
			if ev.RouteKey != want {
				t.Errorf("%s matched %q, want %q", path, ev.RouteKey, want)
			}
		}
		_, body := a.do(t, http.MethodPost, "/items/7", nil, "")
		var ev events.APIGatewayV2HTTPRequest
		_ = json.Unmarshal([]byte(body), &ev)
		if ev.RouteKey != "ANY /{proxy+}" || ev.PathParameters["proxy"] != "items/7" {
			t.Errorf("POST /items/7 matched %q proxy=%q", ev.RouteKey, ev.PathParameters["proxy"])
		}
	})

	t.Run("binary request body is base64", func(t *testing.T) {
		_, body := a.do(t, http.MethodPost, "/upload", http.Header{"Content-Type": {"image/png"}}, "\x89PNG")
		var ev events.APIGatewayV2HTTPRequest
		_ = json.Unmarshal([]byte(body), &ev)
		if !ev.IsBase64Encoded || ev.Body != "iVBORw==" {
			t.Errorf("binary body: isBase64Encoded=%v body=%q", ev.IsBase64Encoded, ev.Body)
		}
	})

	t.Run("plain JSON answer becomes 200 application/json", func(t *testing.T) {
		resp, body := a.do(t, http.MethodGet, "/plain", nil, "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || strings.TrimSpace(body) != `{"hello":"world"}` {
			t.Errorf("got %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})

	t.Run("base64 response is decoded", func(t *testing.T) {
		_, body := a.do(t, http.MethodGet, "/binary", nil, "")
		if body != "\x00\x01\x02\xff" {
			t.Errorf("binary response = %q", body)
		}
	})

	t.Run("crash and failure give 500 Internal Server Error", func(t *testing.T) {
		for _, path := range []string{"/crash", "/error", "/badshape"} {
			resp, body := a.do(t, http.MethodGet, path, nil, "")
			if resp.StatusCode != 500 || body != `{"message":"Internal Server Error"}` {
				t.Errorf("%s: %d %s", path, resp.StatusCode, body)
			}
		}
	})

	t.Run("Host header form", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/plain", nil)
		req.Host = a.apiID + ".execute-api.localhost.localstack.cloud:4566"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("virtual-host invoke = %d", resp.StatusCode)
		}
	})

	t.Run("unknown API is 404", func(t *testing.T) {
		resp, err := http.Get(a.srv.URL + "/_aws/execute-api/nosuchapi/x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("unknown api = %d", resp.StatusCode)
		}
		_, err = a.gw.GetApi(context.Background(), &apigatewayv2.GetApiInput{ApiId: aws.String("nosuchapi")})
		var nf *apitypes.NotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("GetApi(nosuchapi) = %v, want NotFoundException", err)
		}
	})
}

func TestHTTPAPIIntegrationTimeoutIs503(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 300, "$default")
	resp, body := a.do(t, http.MethodGet, "/sleep", nil, "")
	if resp.StatusCode != 503 || body != `{"message":"Service Unavailable"}` {
		t.Errorf("slow function: %d %s, want 503 Service Unavailable", resp.StatusCode, body)
	}
}

// TestHTTPAPIThrottleIs500: when Lambda throttles the call, an HTTP API
// answers 500 {"message":"Internal Server Error"}, as for any integration
// failure.
func TestHTTPAPIThrottleIs500(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 5000, "$default")
	lc := lambda.NewFromConfig(testConfig(), func(o *lambda.Options) { o.BaseEndpoint = aws.String(a.srv.URL) })
	if _, err := lc.PutFunctionConcurrency(context.Background(), &lambda.PutFunctionConcurrencyInput{
		FunctionName: aws.String("api-fn"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	resp, body := a.do(t, http.MethodGet, "/rooms", nil, "")
	if resp.StatusCode != 500 || body != `{"message":"Internal Server Error"}` {
		t.Errorf("throttled function: %d %s, want 500 Internal Server Error", resp.StatusCode, body)
	}
}

func TestHTTPAPIPayloadV1(t *testing.T) {
	t.Parallel()
	a := setupHTTPAPI(t, "1.0", 30000, "ANY /{proxy+}")
	resp, body := a.do(t, http.MethodPut, "/things/9?x=1&x=2", nil, `{"a":1}`)
	if resp.StatusCode != 201 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var ev events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.HTTPMethod != "PUT" || ev.Path != "/things/9" || ev.PathParameters["proxy"] != "things/9" ||
		ev.QueryStringParameters["x"] != "2" || strings.Join(ev.MultiValueQueryStringParameters["x"], ",") != "1,2" || ev.Body != `{"a":1}` {
		t.Errorf("1.0 event: %+v", ev)
	}
}

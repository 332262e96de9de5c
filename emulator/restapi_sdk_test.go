package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	resttypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// TestRESTAPIProxyWithSDK builds a REST API the way LocalStack Community
// users do (root + {proxy+}, ANY, AWS_PROXY, a deployment with a stage)
// and invokes it by every URL form.
func TestRESTAPIProxyWithSDK(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	lc := lambdaClient(srv, cfg)
	createTestFunction(t, lc, "rest-fn", 60)
	fn, err := lc.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("rest-fn")})
	if err != nil {
		t.Fatal(err)
	}
	gw := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	ctx := context.Background()
	api, err := gw.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("rest")})
	if err != nil {
		t.Fatal(err)
	}
	resources, err := gw.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id})
	if err != nil || len(resources.Items) != 1 || aws.ToString(resources.Items[0].Path) != "/" {
		t.Fatalf("GetResources of a new API = %+v, %v; want the root only", resources, err)
	}
	proxy, err := gw.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: api.RootResourceId, PathPart: aws.String("{proxy+}")})
	if err != nil {
		t.Fatal(err)
	}
	uri := "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + aws.ToString(fn.Configuration.FunctionArn) + "/invocations"
	for _, resID := range []*string{api.RootResourceId, proxy.Id} {
		if _, err := gw.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api.Id, ResourceId: resID, HttpMethod: aws.String("ANY"), AuthorizationType: aws.String("NONE")}); err != nil {
			t.Fatal(err)
		}
		if _, err := gw.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api.Id, ResourceId: resID, HttpMethod: aws.String("ANY"),
			Type: resttypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gw.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("dev")}); err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(api.Id)

	get := func(t *testing.T, url, host string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	forms := map[string][2]string{
		"path form":   {srv.URL + "/_aws/execute-api/" + id + "/dev/rooms/5?x=1&x=2", ""},
		"host form":   {srv.URL + "/dev/rooms/5?x=1&x=2", id + ".execute-api.localhost.localstack.cloud:4566"},
		"legacy form": {srv.URL + "/restapis/" + id + "/dev/_user_request_/rooms/5?x=1&x=2", ""},
	}
	for name, f := range forms {
		t.Run(name, func(t *testing.T) {
			resp, body := get(t, f[0], f[1])
			if resp.StatusCode != 201 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			var ev events.APIGatewayProxyRequest
			if err := json.Unmarshal([]byte(body), &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Resource != "/{proxy+}" || ev.Path != "/rooms/5" || ev.HTTPMethod != "GET" || ev.PathParameters["proxy"] != "rooms/5" ||
				strings.Join(ev.MultiValueQueryStringParameters["x"], ",") != "1,2" || ev.RequestContext.Stage != "dev" ||
				ev.RequestContext.Path != "/dev/rooms/5" || ev.RequestContext.APIID != id {
				t.Errorf("1.0 event: resource %q path %q method %q params %v mvq %v stage %q ctx.path %q",
					ev.Resource, ev.Path, ev.HTTPMethod, ev.PathParameters, ev.MultiValueQueryStringParameters, ev.RequestContext.Stage, ev.RequestContext.Path)
			}
			if strings.Contains(body, `"version"`) {
				t.Error("REST events carry no version field")
			}
		})
	}

	t.Run("root resource", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/_aws/execute-api/"+id+"/dev/", "")
		var ev events.APIGatewayProxyRequest
		_ = json.Unmarshal([]byte(body), &ev)
		if resp.StatusCode != 201 || ev.Resource != "/" {
			t.Errorf("root: %d resource %q", resp.StatusCode, ev.Resource)
		}
	})

	t.Run("function error is 502", func(t *testing.T) {
		resp, body := get(t, srv.URL+"/_aws/execute-api/"+id+"/dev/crash", "")
		if resp.StatusCode != 502 || body != `{"message": "Internal server error"}` {
			t.Errorf("crash via REST: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("unknown stage is 403", func(t *testing.T) {
		resp, _ := get(t, srv.URL+"/_aws/execute-api/"+id+"/prod/rooms", "")
		if resp.StatusCode != 403 {
			t.Errorf("unknown stage: %d", resp.StatusCode)
		}
	})

	t.Run("console shows the REST API and its traces", func(t *testing.T) {
		var st consoleState
		getJSON(t, srv.URL+"/_console/api/state", &st)
		if len(st.APIs) != 1 || st.APIs[0].Kind != "REST" || st.APIs[0].ID != id || len(st.APIs[0].Routes) != 2 ||
			st.APIs[0].Routes[1].Key != "ANY /{proxy+}" || st.APIs[0].Routes[1].Function != "rest-fn" ||
			len(st.APIs[0].InvokeURLs) == 0 || st.APIs[0].InvokeURLs[0] != srv.URL+"/_aws/execute-api/"+id+"/dev/" {
			t.Errorf("REST API in the console state: %+v", st.APIs)
		}
		var crash consoleTraces
		getJSON(t, srv.URL+"/_console/api/traces?id=/dev/crash", &crash)
		if crash.Count != 1 || crash.Traces[0].Kind != "REST" || crash.Traces[0].Status != 502 || crash.Traces[0].RouteKey != "ANY /{proxy+}" ||
			crash.Traces[0].Lambda == nil || crash.Traces[0].Lambda.ErrorType != "Runtime.ExitError" ||
			!strings.Contains(crash.Traces[0].Lambda.Log, "testfn crashing on purpose") {
			t.Errorf("crash trace: %+v", crash)
		}
		var stage consoleTraces
		getJSON(t, srv.URL+"/_console/api/traces?id=/prod/rooms", &stage)
		if stage.Count != 1 || stage.Traces[0].Status != 403 || stage.Traces[0].Error != "no such stage" || stage.Traces[0].Lambda != nil {
			t.Errorf("unknown-stage trace: %+v", stage)
		}
	})

	t.Run("throttled function is 500", func(t *testing.T) {
		// Lambda refusing the call is INTEGRATION_FAILURE for REST APIs:
		// 500, where a function error is 502.
		if _, err := lc.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
			FunctionName: aws.String("rest-fn"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_, _ = lc.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("rest-fn")})
		}()
		resp, body := get(t, srv.URL+"/_aws/execute-api/"+id+"/dev/rooms", "")
		if resp.StatusCode != 500 || body != `{"message": "Internal server error"}` {
			t.Errorf("throttled via REST: %d %s, want 500 Internal server error", resp.StatusCode, body)
		}
	})

	t.Run("unknown API is NotFoundException", func(t *testing.T) {
		_, err := gw.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: aws.String("nope")})
		var nf *resttypes.NotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("GetRestApi(nope) = %v", err)
		}
	})
}

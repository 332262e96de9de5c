package emulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// callFunctionURL sends a request to a function URL through the emulator's
// listener, with the URL's host name in Host (it needs no DNS).
func callFunctionURL(t *testing.T, srv *httptest.Server, functionURL, method, pathAndQuery, body string) (int, string) {
	t.Helper()
	u, err := url.Parse(functionURL)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.URL+pathAndQuery, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = u.Host
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFunctionURLs(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	createTestFunction(t, c, "urlfn", 10)
	ctx := context.Background()
	created, err := c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("urlfn"), AuthType: types.FunctionUrlAuthTypeNone})
	if err != nil {
		t.Fatal(err)
	}
	fnURL := aws.ToString(created.FunctionUrl)
	if !strings.Contains(fnURL, ".lambda-url.eu-west-1.localhost.localstack.cloud:") || !strings.HasSuffix(fnURL, "/") {
		t.Errorf("FunctionUrl = %q, want LocalStack's lambda-url form", fnURL)
	}
	_, err = c.CreateFunctionUrlConfig(ctx, &lambda.CreateFunctionUrlConfigInput{FunctionName: aws.String("urlfn"), AuthType: types.FunctionUrlAuthTypeNone})
	wantAPIError(t, "ResourceConflictException", "a second URL", err)

	status, body := callFunctionURL(t, srv, fnURL, http.MethodGet, "/items/7?x=1&x=2", "")
	if status != 201 {
		t.Fatalf("GET through the URL: %d %s", status, body)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	urlID := strings.SplitN(strings.TrimPrefix(fnURL, "http://"), ".", 2)[0]
	for name, c := range map[string][2]string{
		"version":   {ev.Version, "2.0"},
		"routeKey":  {ev.RouteKey, "$default"},
		"rawPath":   {ev.RawPath, "/items/7"},
		"rawQuery":  {ev.RawQueryString, "x=1&x=2"},
		"query x":   {ev.QueryStringParameters["x"], "1,2"},
		"accountId": {ev.RequestContext.AccountID, "anonymous"},
		"apiId":     {ev.RequestContext.APIID, urlID},
		"method":    {ev.RequestContext.HTTP.Method, "GET"},
	} {
		if c[0] != c[1] {
			t.Errorf("event %s = %q, want %q", name, c[0], c[1])
		}
	}
	if status, body := callFunctionURL(t, srv, fnURL, http.MethodPost, "/error", ""); status != http.StatusBadGateway || body != "Internal Server Error" {
		t.Errorf("function error through the URL: %d %q, want 502 Internal Server Error", status, body)
	}

	if _, err := c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("urlfn"), AuthType: types.FunctionUrlAuthTypeAwsIam}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("urlfn")})
	if err != nil || got.AuthType != types.FunctionUrlAuthTypeAwsIam || aws.ToString(got.FunctionUrl) != fnURL {
		t.Errorf("GetFunctionUrlConfig = %+v, %v", got, err)
	}
	_, err = c.UpdateFunctionUrlConfig(ctx, &lambda.UpdateFunctionUrlConfigInput{FunctionName: aws.String("urlfn"), InvokeMode: types.InvokeModeResponseStream})
	wantAPIError(t, "InvalidParameterValueException", "RESPONSE_STREAM", err)
	list, err := c.ListFunctionUrlConfigs(ctx, &lambda.ListFunctionUrlConfigsInput{FunctionName: aws.String("urlfn")})
	if err != nil || len(list.FunctionUrlConfigs) != 1 {
		t.Errorf("ListFunctionUrlConfigs = %+v, %v", list, err)
	}
	if _, err := c.DeleteFunctionUrlConfig(ctx, &lambda.DeleteFunctionUrlConfigInput{FunctionName: aws.String("urlfn")}); err != nil {
		t.Fatal(err)
	}
	if status, _ := callFunctionURL(t, srv, fnURL, http.MethodGet, "/x", ""); status != http.StatusNotFound {
		t.Errorf("deleted URL answers %d, want 404", status)
	}
	_, err = c.GetFunctionUrlConfig(ctx, &lambda.GetFunctionUrlConfigInput{FunctionName: aws.String("urlfn")})
	wantAPIError(t, "ResourceNotFoundException", "GetFunctionUrlConfig after delete", err)
}

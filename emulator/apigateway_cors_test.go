package emulator_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestHTTPAPICorsConfiguration(t *testing.T) {
	_, srv, _ := startEmulator(t)
	up := startUpstream(t)
	gw := gatewayClient(srv, "eu-west-1")
	ctx := context.Background()
	a := proxyAPI(t, gw, srv, map[string]*apigatewayv2.CreateIntegrationInput{"ANY /{proxy+}": httpProxy(up.URL+"/{proxy}", "ANY")})
	preflight := http.Header{"Origin": {"https://app.example"}, "Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"x-token"}}

	// Without a configuration, a preflight is an ordinary request for the routes.
	if resp, _ := a.do(t, http.MethodOptions, "/r", preflight, ""); resp.StatusCode != http.StatusCreated {
		t.Errorf("preflight without CORS configuration: status %d, want the integration's 201", resp.StatusCode)
	}

	if _, err := gw.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: aws.String(a.apiID), CorsConfiguration: &apitypes.Cors{
		AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"content-type", "x-token"},
		ExposeHeaders: []string{"x-upstream"}, MaxAge: aws.Int32(300), AllowCredentials: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	got, err := gw.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String(a.apiID)})
	if err != nil || got.CorsConfiguration == nil || aws.ToInt32(got.CorsConfiguration.MaxAge) != 300 {
		t.Fatalf("GetApi corsConfiguration = %+v, %v", got.CorsConfiguration, err)
	}

	resp, body := a.do(t, http.MethodOptions, "/r", preflight, "")
	want := map[string]string{"Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Methods": "GET,POST",
		"Access-Control-Allow-Headers": "content-type,x-token", "Access-Control-Max-Age": "300", "Access-Control-Allow-Credentials": "true"}
	if resp.StatusCode != http.StatusNoContent || body != "" {
		t.Errorf("preflight answered %d %q, want API Gateway's own 204", resp.StatusCode, body)
	}
	for k, v := range want {
		if resp.Header.Get(k) != v {
			t.Errorf("preflight %s = %q, want %q", k, resp.Header.Get(k), v)
		}
	}

	other := http.Header{"Origin": {"https://evil.example"}, "Access-Control-Request-Method": {"POST"}}
	if resp, _ := a.do(t, http.MethodOptions, "/r", other, ""); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another origin: %d, Allow-Origin %q; want 204 without CORS headers", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}

	resp, _ = a.do(t, http.MethodGet, "/r", http.Header{"Origin": {"https://app.example"}}, "")
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		resp.Header.Get("Access-Control-Expose-Headers") != "x-upstream" || resp.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("CORS request: %d, Allow-Origin %q, Expose %q, Credentials %q; want the API's headers, not the backend's",
			resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Expose-Headers"), resp.Header.Get("Access-Control-Allow-Credentials"))
	}
	if resp, _ := a.do(t, http.MethodGet, "/r", http.Header{"Origin": {"https://evil.example"}}, ""); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("request from an origin not allowed carries Allow-Origin %q (the backend's header must be dropped)", resp.Header.Get("Access-Control-Allow-Origin"))
	}

	if _, err := gw.DeleteCorsConfiguration(ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: aws.String(a.apiID)}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := a.do(t, http.MethodOptions, "/r", preflight, ""); resp.StatusCode != http.StatusCreated {
		t.Errorf("preflight after DeleteCorsConfiguration: status %d, want the integration's 201", resp.StatusCode)
	}

	_, err = gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("bad"), ProtocolType: apitypes.ProtocolTypeHttp,
		CorsConfiguration: &apitypes.Cors{AllowOrigins: []string{"*"}, AllowCredentials: aws.Bool(true)}})
	wantAPIError(t, "BadRequestException", "credentials with origin *", err)
}

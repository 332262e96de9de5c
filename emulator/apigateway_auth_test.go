package emulator_test

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// testIssuer is a local OpenID issuer: discovery document and JWKS on
// 127.0.0.1, and a key to sign tokens with.
type testIssuer struct {
	url string
	key *rsa.PrivateKey
}

func startIssuer(t *testing.T) testIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": srv.URL, "jwks_uri": srv.URL + "/jwks"})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
			"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()), "e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes())}}})
	})
	return testIssuer{url: srv.URL, key: key}
}

// token signs claims with key as kid k1, RS256.
func signToken(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signing := enc(map[string]string{"alg": "RS256", "kid": "k1", "typ": "JWT"}) + "." + enc(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// routeIDs maps each route key of the API to its id.
func routeIDs(t *testing.T, a httpAPI) map[string]*string {
	t.Helper()
	routes, err := a.gw.GetRoutes(context.Background(), &apigatewayv2.GetRoutesInput{ApiId: aws.String(a.apiID)})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*string{}
	for _, rt := range routes.Items {
		ids[aws.ToString(rt.RouteKey)] = rt.RouteId
	}
	return ids
}

func TestJWTAuthorizer(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 30000, "GET /items/{id}", "GET /admin/{x}", "GET /open/{x}")
	iss := startIssuer(t)
	ctx := context.Background()
	apiID := aws.String(a.apiID)
	au, err := a.gw.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("jwt"),
		AuthorizerType: apitypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"},
		JwtConfiguration: &apitypes.JWTConfiguration{Issuer: aws.String(iss.url), Audience: []string{"api://test"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids := routeIDs(t, a)
	if _, err := a.gw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: ids["GET /items/{id}"],
		AuthorizationType: apitypes.AuthorizationTypeJwt, AuthorizerId: au.AuthorizerId}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.gw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: ids["GET /admin/{x}"],
		AuthorizationType: apitypes.AuthorizationTypeJwt, AuthorizerId: au.AuthorizerId, AuthorizationScopes: []string{"admin"}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	claims := func(over map[string]any) map[string]any {
		c := map[string]any{"iss": iss.url, "aud": "api://test", "sub": "user-1", "exp": now + 300, "iat": now - 10, "scope": "read write"}
		for k, v := range over {
			c[k] = v
		}
		return c
	}
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)

	resp, body := a.do(t, http.MethodGet, "/items/1", bearer(signToken(t, iss.key, claims(nil))), "")
	if resp.StatusCode != 201 {
		t.Fatalf("valid token: %d %s", resp.StatusCode, body)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	jwt := ev.RequestContext.Authorizer
	if jwt == nil || jwt.JWT == nil || jwt.JWT.Claims["sub"] != "user-1" || jwt.JWT.Claims["aud"] != "api://test" ||
		jwt.JWT.Claims["exp"] == "" || len(jwt.JWT.Scopes) != 2 || jwt.JWT.Scopes[0] != "read" {
		t.Errorf("requestContext.authorizer = %+v, want the token's claims and scopes", jwt)
	}

	for name, c := range map[string]struct {
		header http.Header
		status int
		path   string
	}{
		"no token":           {nil, 401, "/items/1"},
		"expired":            {bearer(signToken(t, iss.key, claims(map[string]any{"exp": now - 60}))), 401, "/items/1"},
		"other audience":     {bearer(signToken(t, iss.key, claims(map[string]any{"aud": "api://other"}))), 401, "/items/1"},
		"other issuer":       {bearer(signToken(t, iss.key, claims(map[string]any{"iss": "https://evil.example"}))), 401, "/items/1"},
		"not yet valid":      {bearer(signToken(t, iss.key, claims(map[string]any{"nbf": now + 600}))), 401, "/items/1"},
		"forged signature":   {bearer(signToken(t, otherKey, claims(nil))), 401, "/items/1"},
		"garbage":            {bearer("not.a.jwt"), 401, "/items/1"},
		"missing scope":      {bearer(signToken(t, iss.key, claims(nil))), 403, "/admin/x"},
		"with the scope":     {bearer(signToken(t, iss.key, claims(map[string]any{"scope": "admin"}))), 201, "/admin/x"},
		"client_id audience": {bearer(signToken(t, iss.key, claims(map[string]any{"aud": nil, "client_id": "api://test"}))), 201, "/items/1"},
		"route without auth": {nil, 201, "/open/x"},
	} {
		resp, body := a.do(t, http.MethodGet, c.path, c.header, "")
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d %s, want %d", name, resp.StatusCode, body, c.status)
		}
		if c.status == 401 && body != `{"message":"Unauthorized"}` || c.status == 403 && body != `{"message":"Forbidden"}` {
			t.Errorf("%s: body %s, want API Gateway's message", name, body)
		}
	}

	_, err = a.gw.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("bad"),
		AuthorizerType: apitypes.AuthorizerTypeJwt, IdentitySource: []string{"$request.header.Authorization"}})
	wantAPIError(t, "BadRequestException", "JWT authorizer without jwtConfiguration", err)
	_, err = a.gw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: ids["GET /open/{x}"],
		AuthorizationType: apitypes.AuthorizationTypeCustom, AuthorizerId: au.AuthorizerId})
	wantAPIError(t, "BadRequestException", "CUSTOM route with a JWT authorizer", err)
	_, err = a.gw.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: apiID, AuthorizerId: au.AuthorizerId})
	wantAPIError(t, "ConflictException", "delete an authorizer in use", err)
	if got, err := a.gw.GetAuthorizer(ctx, &apigatewayv2.GetAuthorizerInput{ApiId: apiID, AuthorizerId: au.AuthorizerId}); err != nil ||
		aws.ToString(got.JwtConfiguration.Issuer) != iss.url {
		t.Errorf("GetAuthorizer = %+v, %v", got, err)
	}
}

func TestLambdaRequestAuthorizer(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 30000, "GET /items/{id}", "GET /policy/{id}")
	ctx := context.Background()
	apiID := aws.String(a.apiID)
	integs, err := a.gw.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: apiID})
	if err != nil {
		t.Fatal(err)
	}
	fnURI := "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/" + aws.ToString(integs.Items[0].IntegrationUri) + "/invocations"
	simple, err := a.gw.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("simple"),
		AuthorizerType: apitypes.AuthorizerTypeRequest, AuthorizerUri: aws.String(fnURI), AuthorizerPayloadFormatVersion: aws.String("2.0"),
		EnableSimpleResponses: aws.Bool(true), IdentitySource: []string{"$request.header.X-Auth"}, AuthorizerResultTtlInSeconds: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	policy, err := a.gw.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("policy"),
		AuthorizerType: apitypes.AuthorizerTypeRequest, AuthorizerUri: aws.String(fnURI), AuthorizerPayloadFormatVersion: aws.String("2.0"),
		IdentitySource: []string{"$request.querystring.token"}})
	if err != nil {
		t.Fatal(err)
	}
	ids := routeIDs(t, a)
	for key, au := range map[string]*string{"GET /items/{id}": simple.AuthorizerId, "GET /policy/{id}": policy.AuthorizerId} {
		if _, err := a.gw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: ids[key],
			AuthorizationType: apitypes.AuthorizationTypeCustom, AuthorizerId: au}); err != nil {
			t.Fatal(err)
		}
	}

	resp, body := a.do(t, http.MethodGet, "/items/1", http.Header{"X-Auth": {"allow"}}, "")
	if resp.StatusCode != 201 {
		t.Fatalf("allowed: %d %s", resp.StatusCode, body)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	if au := ev.RequestContext.Authorizer; au == nil || au.Lambda["user"] != "alice" || au.Lambda["level"] != float64(3) {
		t.Errorf("requestContext.authorizer = %+v, want lambda context user=alice level=3", au)
	}
	for name, c := range map[string]struct {
		path   string
		header http.Header
		status int
		body   string
	}{
		"identity missing":     {"/items/1", nil, 401, `{"message":"Unauthorized"}`},
		"refused":              {"/items/1", http.Header{"X-Auth": {"deny"}}, 403, `{"message":"Forbidden"}`},
		"authorizer fails":     {"/items/1", http.Header{"X-Auth": {"error"}}, 500, `{"message":"Internal Server Error"}`},
		"policy allows":        {"/policy/1?token=policy", nil, 201, ""},
		"simple answer to IAM": {"/policy/1?token=allow", nil, 403, `{"message":"Forbidden"}`},
		"query identity empty": {"/policy/1", nil, 401, `{"message":"Unauthorized"}`},
	} {
		resp, body := a.do(t, http.MethodGet, c.path, c.header, "")
		if resp.StatusCode != c.status || (c.body != "" && body != c.body) {
			t.Errorf("%s: %d %s, want %d %s", name, resp.StatusCode, body, c.status, c.body)
		}
	}
	_, err = a.gw.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("v1"),
		AuthorizerType: apitypes.AuthorizerTypeRequest, AuthorizerUri: aws.String(fnURI), AuthorizerPayloadFormatVersion: aws.String("1.0"),
		IdentitySource: []string{"$request.header.X-Auth"}})
	wantAPIError(t, "BadRequestException", "payload 1.0 authorizer", err)
}

package apigateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Running a route's authorizer before its integration. Denials are API
// Gateway's: 401 {"message":"Unauthorized"} for a missing identity or a
// token that does not validate, 403 {"message":"Forbidden"} for a token
// without the route's scopes or an authorizer that says no, 500 when the
// authorizer function fails.

// msgUnauthorized is the 401 body; the 403 one (msgForbidden) is shared with REST APIs.
var msgUnauthorized = []byte(`{"message":"Unauthorized"}`)

// authorizerTimeout is how long a Lambda authorizer may take.
const authorizerTimeout = 10 * time.Second

// authorization is what the authorizer passes on: the event's
// requestContext.authorizer, and the $context.authorizer.* variables.
type authorization struct {
	desc *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
	vars map[string]string
}

// authorize runs au for the request. ok is false once it has answered the
// client with a denial or an error (status).
func (s *Service) authorize(w http.ResponseWriter, r *http.Request, tr *Trace, rt Route, au Authorizer, ri requestInfo, src mappingSource, region string) (auth authorization, status int, ok bool) {
	identities := make([]string, 0, len(au.IdentitySource))
	for _, is := range au.IdentitySource {
		v := src.resolve(strings.TrimPrefix(is, "$"))
		if v == "" {
			tr.Error = "authorizer: identity source " + is + " is missing"
			return auth, writeGateway(w, http.StatusUnauthorized, msgUnauthorized), false
		}
		identities = append(identities, v)
	}
	if au.AuthorizerType == AuthorizerJWT {
		return s.authorizeJWT(w, r, tr, rt, au, identities[0])
	}
	return s.authorizeLambda(w, r, tr, au, ri, identities, region)
}

func (s *Service) authorizeJWT(w http.ResponseWriter, r *http.Request, tr *Trace, rt Route, au Authorizer, token string) (authorization, int, bool) {
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	claims, err := s.jwks.validateJWT(r.Context(), token, *au.JWTConfiguration, time.Now())
	if err != nil {
		tr.Error = "JWT authorizer: " + err.Error()
		w.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer scope="" error="invalid_token" error_description=%q`, err.Error()))
		return authorization{}, writeGateway(w, http.StatusUnauthorized, msgUnauthorized), false
	}
	scopes := tokenScopes(claims)
	if len(rt.AuthorizationScopes) > 0 && !anyIn(rt.AuthorizationScopes, scopes) {
		tr.Error = "JWT authorizer: the token has none of the route's scopes"
		w.Header().Set("Www-Authenticate", fmt.Sprintf(`Bearer scope=%q error="insufficient_scope" error_description="the token does not have the scopes the route requires"`, strings.Join(rt.AuthorizationScopes, " ")))
		return authorization{}, writeGateway(w, http.StatusForbidden, msgForbidden), false
	}
	strs := claimStrings(claims)
	vars := make(map[string]string, len(strs))
	for k, v := range strs {
		vars["authorizer.claims."+k] = v
	}
	desc := &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
		JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: strs, Scopes: scopes}}
	return authorization{desc: desc, vars: vars}, 0, true
}

// authorizerResponse is either of a REQUEST authorizer's answers: the
// simple {"isAuthorized", "context"} or an IAM policy.
type authorizerResponse struct {
	IsAuthorized   *bool          `json:"isAuthorized"`
	Context        map[string]any `json:"context"`
	PrincipalID    string         `json:"principalId"`
	PolicyDocument *struct {
		Statement []struct {
			Effect string `json:"Effect"`
		} `json:"Statement"`
	} `json:"policyDocument"`
}

// allowed reads the answer: a simple response when the authorizer has
// simple responses on, otherwise an IAM policy that allows (some Allow, no
// Deny; the emulator does not match actions and resources).
func (a authorizerResponse) allowed(simple bool) bool {
	if simple {
		return a.IsAuthorized != nil && *a.IsAuthorized
	}
	if a.PolicyDocument == nil {
		return false
	}
	allow := false
	for _, st := range a.PolicyDocument.Statement {
		switch st.Effect {
		case "Deny":
			return false
		case "Allow":
			allow = true
		}
	}
	return allow
}

func (s *Service) authorizeLambda(w http.ResponseWriter, r *http.Request, tr *Trace, au Authorizer, ri requestInfo, identities []string, region string) (authorization, int, bool) {
	ev := ri.eventV2()
	method := r.Method
	arn := fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s%s", region, s.accountID, ri.api.APIID, ri.stage, method, ri.rawPath)
	payload, err := json.Marshal(events.APIGatewayV2CustomAuthorizerV2Request{
		Version: PayloadV2, Type: AuthorizerRequest, RouteArn: arn, IdentitySource: identities, RouteKey: ev.RouteKey,
		RawPath: ev.RawPath, RawQueryString: ev.RawQueryString, Cookies: ev.Cookies, Headers: ev.Headers,
		QueryStringParameters: ev.QueryStringParameters, RequestContext: ev.RequestContext, PathParameters: ev.PathParameters,
		StageVariables: ev.StageVariables,
	})
	if err != nil {
		return authorization{}, writeGateway(w, http.StatusInternalServerError, msgInternalError), false
	}
	o := s.invokeFunction(r, tr, au.AuthorizerURI, payload, authorizerTimeout)
	if o.timedOut || o.err != nil || o.failed {
		tr.Error = "Lambda authorizer failed: " + tr.Error
		return authorization{}, writeGateway(w, http.StatusInternalServerError, msgInternalError), false
	}
	var resp authorizerResponse
	if err := json.Unmarshal(o.payload, &resp); err != nil {
		tr.Error = "Lambda authorizer answered malformed JSON"
		return authorization{}, writeGateway(w, http.StatusInternalServerError, msgInternalError), false
	}
	if !resp.allowed(au.EnableSimpleResponses) {
		tr.Error = "Lambda authorizer denied the request"
		return authorization{}, writeGateway(w, http.StatusForbidden, msgForbidden), false
	}
	vars := make(map[string]string, len(resp.Context))
	for k, v := range resp.Context {
		vars["authorizer."+k] = fmt.Sprint(v)
	}
	return authorization{desc: &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{Lambda: resp.Context}, vars: vars}, 0, true
}

func anyIn(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if w == h {
				return true
			}
		}
	}
	return false
}

package apigateway

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

// Authorizers of HTTP APIs: JWT (validated against the issuer's JWKS) and
// Lambda REQUEST authorizers (payload 2.0). Results are never cached, as
// with authorizerResultTtlInSeconds 0.

// Authorizer types and route authorization types.
const (
	AuthorizerJWT     = "JWT"
	AuthorizerRequest = "REQUEST"
	authNone          = "NONE"
	authJWT           = "JWT"
	authCustom        = "CUSTOM"
	authIAM           = "AWS_IAM"
)

// Authorizer is an HTTP API authorizer in its JSON shape.
type Authorizer struct {
	AuthorizerID                   string            `json:"authorizerId"`
	AuthorizerType                 string            `json:"authorizerType"`
	Name                           string            `json:"name"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	AuthorizerURI                  string            `json:"authorizerUri,omitempty"`
	AuthorizerPayloadFormatVersion string            `json:"authorizerPayloadFormatVersion,omitempty"`
	EnableSimpleResponses          bool              `json:"enableSimpleResponses,omitempty"`
	AuthorizerResultTTLInSeconds   int32             `json:"authorizerResultTtlInSeconds"`
}

// JWTConfiguration names the issuer and the accepted audiences of a JWT authorizer.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   string   `json:"issuer,omitempty"`
}

type authorizerRequest struct {
	AuthorizerType                 *string           `json:"authorizerType"`
	Name                           *string           `json:"name"`
	IdentitySource                 []string          `json:"identitySource"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration"`
	AuthorizerURI                  *string           `json:"authorizerUri"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds"`
}

// applyAuthorizer sets the fields present in the body and checks the
// result as API Gateway does.
func applyAuthorizer(au *Authorizer, in authorizerRequest) error {
	if in.AuthorizerType != nil {
		au.AuthorizerType = *in.AuthorizerType
	}
	if in.Name != nil {
		au.Name = *in.Name
	}
	if in.IdentitySource != nil {
		au.IdentitySource = in.IdentitySource
	}
	if in.JWTConfiguration != nil {
		au.JWTConfiguration = in.JWTConfiguration
	}
	if in.AuthorizerURI != nil {
		au.AuthorizerURI = *in.AuthorizerURI
	}
	if in.AuthorizerPayloadFormatVersion != nil {
		au.AuthorizerPayloadFormatVersion = *in.AuthorizerPayloadFormatVersion
	}
	if in.EnableSimpleResponses != nil {
		au.EnableSimpleResponses = *in.EnableSimpleResponses
	}
	if in.AuthorizerResultTTLInSeconds != nil {
		au.AuthorizerResultTTLInSeconds = *in.AuthorizerResultTTLInSeconds
	}
	if au.Name == "" {
		return badRequest("name is required")
	}
	for _, src := range au.IdentitySource {
		if !strings.HasPrefix(src, "$request.header.") && !strings.HasPrefix(src, "$request.querystring.") &&
			!strings.HasPrefix(src, "$context.") && !strings.HasPrefix(src, "$stageVariables.") {
			return badRequest("Invalid identity source " + src + ": use $request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>")
		}
	}
	switch au.AuthorizerType {
	case AuthorizerJWT:
		if au.JWTConfiguration == nil || au.JWTConfiguration.Issuer == "" || len(au.JWTConfiguration.Audience) == 0 {
			return badRequest("a JWT authorizer needs jwtConfiguration with an issuer and at least one audience")
		}
		if len(au.IdentitySource) != 1 || !strings.HasPrefix(au.IdentitySource[0], "$request.") {
			return badRequest("a JWT authorizer needs exactly one identity source, a header or query string")
		}
	case AuthorizerRequest:
		if functionFromURI(au.AuthorizerURI) == "" {
			return badRequest("authorizerUri must be a Lambda function's invocation URI or ARN")
		}
		if au.AuthorizerPayloadFormatVersion != PayloadV2 {
			return badRequest("authorizerPayloadFormatVersion must be 2.0: the emulator runs REQUEST authorizers with payload 2.0")
		}
		if au.AuthorizerResultTTLInSeconds != 0 {
			return badRequest("authorizerResultTtlInSeconds must be 0: the emulator does not cache authorizer results")
		}
	default:
		return badRequest("authorizerType must be JWT or REQUEST")
	}
	return nil
}

func (s *Service) handleCreateAuthorizer(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[authorizerRequest](w, r)
	if !ok {
		return
	}
	au := &Authorizer{AuthorizerID: newID(6)}
	if err := applyAuthorizer(au, in); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		if a.authorizers == nil {
			a.authorizers = map[string]*Authorizer{}
		}
		a.authorizers[au.AuthorizerID] = au
		awserr.WriteJSON(w, http.StatusCreated, au)
	})
}

func (s *Service) handleGetAuthorizers(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.authorizers, func(v *Authorizer) string { return v.Name })
	})
}

func (s *Service) handleGetAuthorizer(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Authorizer", func(a *httpAPI) map[string]*Authorizer { return a.authorizers })
}

func (s *Service) handleUpdateAuthorizer(w http.ResponseWriter, r *http.Request) {
	updateChild(s, w, r, "id", "Authorizer", func(a *httpAPI) map[string]*Authorizer { return a.authorizers },
		func(a *httpAPI, cur *Authorizer, in authorizerRequest) {
			next := *cur
			if err := applyAuthorizer(&next, in); err != nil {
				awserr.Write(w, err)
				return
			}
			if next.AuthorizerType != cur.AuthorizerType {
				awserr.Write(w, badRequest("an authorizer's type cannot change"))
				return
			}
			*cur = next
			awserr.WriteJSON(w, http.StatusOK, cur)
		})
}

// handleDeleteAuthorizer refuses while a route uses the authorizer, as
// API Gateway does.
func (s *Service) handleDeleteAuthorizer(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Authorizer", func(a *httpAPI) map[string]*Authorizer { return a.authorizers },
		func(a *httpAPI, id string) error {
			for _, rt := range a.routes {
				if rt.AuthorizerID == id {
					return awserr.New(http.StatusConflict, awserr.Conflict, "Cannot delete authorizer "+id+": route "+rt.RouteKey+" uses it")
				}
			}
			return nil
		})
}

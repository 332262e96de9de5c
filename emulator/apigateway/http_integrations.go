package apigateway

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

// Create/Get/Update/DeleteIntegration and GetIntegrations on HTTP APIs.

// applyIntegration sets the fields present in a Create/UpdateIntegration
// body on integ and checks the result as API Gateway does; on an error integ
// may be half-changed, so callers apply to a copy.
func applyIntegration(integ *Integration, in integrationRequest) error {
	typeChanged := in.IntegrationType != nil && *in.IntegrationType != integ.IntegrationType
	if in.IntegrationType != nil {
		integ.IntegrationType = *in.IntegrationType
	}
	if in.IntegrationURI != nil {
		integ.IntegrationURI = *in.IntegrationURI
	}
	if in.IntegrationMethod != nil {
		integ.IntegrationMethod = *in.IntegrationMethod
	}
	if in.PayloadFormatVersion != nil {
		integ.PayloadFormatVersion = *in.PayloadFormatVersion
	}
	if in.Description != nil {
		integ.Description = *in.Description
	}
	if in.RequestParameters != nil {
		integ.RequestParameters = in.RequestParameters
	}
	if in.TimeoutInMillis != nil {
		if *in.TimeoutInMillis < 50 || *in.TimeoutInMillis > maxIntegrationMS {
			return badRequest("timeoutInMillis must be between 50 and 30000")
		}
		integ.TimeoutInMillis = *in.TimeoutInMillis
	}
	switch integ.IntegrationType {
	case IntegrationProxy:
		if functionFromURI(integ.IntegrationURI) == "" {
			return badRequest("integrationUri must be a Lambda function ARN")
		}
		if integ.PayloadFormatVersion == "" {
			integ.PayloadFormatVersion = PayloadV2
		}
		if integ.PayloadFormatVersion != PayloadV1 && integ.PayloadFormatVersion != PayloadV2 {
			return badRequest("payloadFormatVersion must be 1.0 or 2.0")
		}
		if integ.IntegrationMethod == "" || typeChanged {
			integ.IntegrationMethod = "POST"
		}
	case IntegrationHTTP:
		u, err := url.Parse(integ.IntegrationURI)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return badRequest("integrationUri must be an http:// or https:// URL for an HTTP_PROXY integration")
		}
		if integ.PayloadFormatVersion == "" || (typeChanged && in.PayloadFormatVersion == nil) {
			integ.PayloadFormatVersion = PayloadV1
		}
		if integ.PayloadFormatVersion != PayloadV1 {
			return badRequest("payloadFormatVersion must be 1.0 for HTTP_PROXY integrations")
		}
		if typeChanged && in.IntegrationMethod == nil {
			integ.IntegrationMethod = ""
		}
		if !routeMethods[integ.IntegrationMethod] {
			return badRequest("integrationMethod is required for HTTP_PROXY integrations: ANY, GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS")
		}
	default:
		return badRequest(fmt.Sprintf("integrationType %q is not supported by the emulator: use AWS_PROXY (Lambda) or HTTP_PROXY", integ.IntegrationType))
	}
	return validateRequestParameters(integ)
}

func (s *Service) handleUpdateIntegration(w http.ResponseWriter, r *http.Request) {
	updateChild(s, w, r, "id", "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations },
		func(a *httpAPI, cur *Integration, in integrationRequest) {
			next := *cur
			if err := applyIntegration(&next, in); err != nil {
				awserr.Write(w, err)
				return
			}
			*cur = next
			awserr.WriteJSON(w, http.StatusOK, cur)
		})
}

func (s *Service) handleCreateIntegration(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[integrationRequest](w, r)
	if !ok {
		return
	}
	integ := &Integration{IntegrationID: newID(7), TimeoutInMillis: maxIntegrationMS, ConnectionType: "INTERNET"}
	if in.IntegrationType == nil {
		awserr.Write(w, badRequest("integrationType is required"))
		return
	}
	if err := applyIntegration(integ, in); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		a.integrations[integ.IntegrationID] = integ
		awserr.WriteJSON(w, http.StatusCreated, integ)
	})
}

func (s *Service) handleGetIntegrations(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.integrations, func(v *Integration) string { return v.IntegrationID })
	})
}

func (s *Service) handleGetIntegration(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations })
}

// functionFromURI extracts the function ARN or name from an integration
// URI: a function ARN, or the arn:aws:apigateway:…:lambda:path/…/functions/<arn>/invocations form.
func functionFromURI(uri string) string {
	if i := strings.Index(uri, "/functions/"); i >= 0 {
		rest := uri[i+len("/functions/"):]
		return strings.TrimSuffix(rest, "/invocations")
	}
	if strings.HasPrefix(uri, "arn:aws:lambda:") {
		return uri
	}
	return ""
}

func (s *Service) handleDeleteIntegration(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations }, nil)
}

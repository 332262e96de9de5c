package apigateway

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// CreateApi, GetApi(s), UpdateApi, DeleteApi and DeleteCorsConfiguration on
// HTTP APIs (API Gateway v2).

func (s *Service) handleCreateAPI(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createAPIRequest](w, r)
	if !ok {
		return
	}
	if in.Name == nil || *in.Name == "" {
		awserr.Write(w, badRequest("Invalid input: name is required"))
		return
	}
	if err := validateCors(in.Cors); err != nil {
		awserr.Write(w, err)
		return
	}
	if in.ProtocolType != ProtocolHTTP {
		awserr.Write(w, badRequest(fmt.Sprintf("protocolType %q is not supported by the emulator: only HTTP APIs", in.ProtocolType)))
		return
	}
	id := in.Tags[customIDTag]
	if id == "" {
		id = newID(10)
	}
	a := &httpAPI{
		API: API{
			APIID: id, Name: *in.Name, ProtocolType: ProtocolHTTP, APIEndpoint: Endpoint(r.Host, id),
			CreatedDate: now(), Description: ptr.Value(in.Description), RouteSelectionExpression: routeSelectionExp,
			APIKeySelectionExpression: "$request.header.x-api-key", Tags: in.Tags, CorsConfiguration: in.Cors,
		},
		integrations: map[string]*Integration{},
		routes:       map[string]*Route{},
		stages:       map[string]*Stage{},
		region:       s.regionOf(r),
	}
	if a.Tags == nil {
		a.Tags = map[string]string{}
	}
	// Quick create: a target makes a proxy integration, a $default route
	// and an auto-deployed $default stage, as AWS does.
	if in.Target != nil && *in.Target != "" {
		integ := &Integration{IntegrationID: newID(7), IntegrationType: IntegrationProxy, IntegrationURI: *in.Target,
			IntegrationMethod: "POST", PayloadFormatVersion: PayloadV2, TimeoutInMillis: maxIntegrationMS, ConnectionType: "INTERNET"}
		if strings.HasPrefix(*in.Target, "http://") || strings.HasPrefix(*in.Target, "https://") {
			// A URL target makes an HTTP_PROXY integration on ANY method.
			integ.IntegrationType, integ.IntegrationMethod, integ.PayloadFormatVersion = IntegrationHTTP, "ANY", PayloadV1
		}
		a.integrations[integ.IntegrationID] = integ
		routeKey := DefaultRoute
		if in.RouteKey != nil && *in.RouteKey != "" {
			routeKey = *in.RouteKey
		}
		rt := &Route{RouteID: newID(7), RouteKey: routeKey, Target: "integrations/" + integ.IntegrationID, AuthorizationType: "NONE"}
		a.routes[rt.RouteID] = rt
		a.stages[DefaultStage] = &Stage{StageName: DefaultStage, AutoDeploy: true, CreatedDate: now(), LastUpdatedDate: now()}
	}
	s.addAPI(w, "http", id, a.Name, a.API, func() { s.apis[id] = a })
}

func (s *Service) handleGetAPIs(w http.ResponseWriter, r *http.Request) {
	listAPIs(s, w, r, "items", s.httpAPIs, func(a *httpAPI) API { return a.API }, func(v API) string { return v.Name })
}

func (s *Service) handleGetAPI(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		awserr.WriteJSON(w, http.StatusOK, a.API)
	})
}

func (s *Service) handleDeleteAPI(w http.ResponseWriter, r *http.Request) {
	s.writeAPI(w, r, func(a *httpAPI) {
		delete(s.apis, a.APIID)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handleUpdateAPI(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[updateAPIRequest](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		if in.Name != nil {
			if *in.Name == "" {
				awserr.Write(w, badRequest("Invalid input: name must not be empty"))
				return
			}
			a.Name = *in.Name
		}
		if in.Description != nil {
			a.Description = *in.Description
		}
		if in.Cors != nil {
			if err := validateCors(in.Cors); err != nil {
				awserr.Write(w, err)
				return
			}
			a.CorsConfiguration = in.Cors
		}
		if in.DisableExecuteAPIEndpoint != nil {
			a.DisableExecuteAPIEndpoint = *in.DisableExecuteAPIEndpoint
		}
		awserr.WriteJSON(w, http.StatusOK, a.API)
	})
}

func (s *Service) handleDeleteCors(w http.ResponseWriter, r *http.Request) {
	s.writeAPI(w, r, func(a *httpAPI) {
		a.CorsConfiguration = nil
		w.WriteHeader(http.StatusNoContent)
	})
}

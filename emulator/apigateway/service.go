// Package apigateway emulates Amazon API Gateway, both kinds of API the
// Lambda proxy needs: v2 HTTP APIs (the /v2/apis control plane in the
// http_*.go files: CreateApi, CreateIntegration, CreateRoute, CreateStage,
// authorizers, tags, …) and v1 REST APIs (the /restapis control plane in
// the rest_*.go files: resources, methods, AWS_PROXY integrations,
// deployments, stages). Its execute-api data plane turns an HTTP request
// into a Lambda event (payload 2.0 or 1.0 for an HTTP API, 1.0 for a REST
// API) or an HTTP_PROXY call, and the answer back into HTTP; Lambda
// function URLs use the same event and mapping (ServeFunctionURL).
package apigateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
	"github.com/coolroom/testbed/emulator/lambda"
)

// Invoker runs a Lambda function synchronously; the emulator's Lambda
// service implements it.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) (*lambda.Result, error)
}

// Options configure the service.
type Options struct {
	Logger    *slog.Logger
	Invoker   Invoker
	AccountID string
	Region    string
	// OnTrace, if set, receives every execute-api request once answered
	// (the emulator's console records them). It runs on the request's
	// goroutine, so it must be quick; the Trace is the observer's to keep.
	OnTrace func(*Trace)
}

// Service is the emulated API Gateway: HTTP APIs and REST APIs.
type Service struct {
	log       *slog.Logger
	invoker   Invoker
	accountID string
	region    string
	onTrace   func(*Trace)
	mux       *http.ServeMux
	jwks      jwksCache // JWT authorizers' keys by issuer

	mu   sync.RWMutex
	apis map[string]*httpAPI
	rest map[string]*restAPI
}

// New returns an API Gateway service with no APIs.
func New(opts Options) *Service {
	s := &Service{log: opts.Logger, invoker: opts.Invoker, accountID: opts.AccountID, region: opts.Region,
		onTrace: opts.OnTrace, apis: map[string]*httpAPI{}, rest: map[string]*restAPI{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.accountID == "" {
		s.accountID = "000000000000"
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	m := http.NewServeMux()
	m.HandleFunc("POST /v2/apis", s.handleCreateAPI)
	m.HandleFunc("GET /v2/apis", s.handleGetAPIs)
	m.HandleFunc("GET /v2/apis/{api}", s.handleGetAPI)
	m.HandleFunc("DELETE /v2/apis/{api}", s.handleDeleteAPI)
	m.HandleFunc("PATCH /v2/apis/{api}", s.handleUpdateAPI)
	m.HandleFunc("DELETE /v2/apis/{api}/integrations/{id}", s.handleDeleteIntegration)
	m.HandleFunc("DELETE /v2/apis/{api}/routes/{id}", s.handleDeleteRoute)
	m.HandleFunc("DELETE /v2/apis/{api}/stages/{stage}", s.handleDeleteStage)
	m.HandleFunc("POST /v2/apis/{api}/deployments", s.handleCreateDeployment)
	m.HandleFunc("GET /v2/apis/{api}/deployments", s.handleGetDeployments)
	m.HandleFunc("POST /v2/apis/{api}/integrations", s.handleCreateIntegration)
	m.HandleFunc("GET /v2/apis/{api}/integrations", s.handleGetIntegrations)
	m.HandleFunc("GET /v2/apis/{api}/integrations/{id}", s.handleGetIntegration)
	m.HandleFunc("POST /v2/apis/{api}/routes", s.handleCreateRoute)
	m.HandleFunc("GET /v2/apis/{api}/routes", s.handleGetRoutes)
	m.HandleFunc("PATCH /v2/apis/{api}/routes/{id}", s.handleUpdateRoute)
	m.HandleFunc("POST /v2/apis/{api}/stages", s.handleCreateStage)
	m.HandleFunc("GET /v2/apis/{api}/stages", s.handleGetStages)
	m.HandleFunc("GET /v2/apis/{api}/stages/{stage}", s.handleGetStage)
	m.HandleFunc("PATCH /v2/apis/{api}/stages/{stage}", s.handleUpdateStage)
	m.HandleFunc("PATCH /v2/apis/{api}/integrations/{id}", s.handleUpdateIntegration)
	m.HandleFunc("GET /v2/apis/{api}/routes/{id}", s.handleGetRoute)
	m.HandleFunc("GET /v2/apis/{api}/deployments/{id}", s.handleGetDeployment)
	m.HandleFunc("PATCH /v2/apis/{api}/deployments/{id}", s.handleUpdateDeployment)
	m.HandleFunc("DELETE /v2/apis/{api}/deployments/{id}", s.handleDeleteDeployment)
	m.HandleFunc("DELETE /v2/apis/{api}/cors", s.handleDeleteCors)
	m.HandleFunc("POST /v2/apis/{api}/authorizers", s.handleCreateAuthorizer)
	m.HandleFunc("GET /v2/apis/{api}/authorizers", s.handleGetAuthorizers)
	m.HandleFunc("GET /v2/apis/{api}/authorizers/{id}", s.handleGetAuthorizer)
	m.HandleFunc("PATCH /v2/apis/{api}/authorizers/{id}", s.handleUpdateAuthorizer)
	m.HandleFunc("DELETE /v2/apis/{api}/authorizers/{id}", s.handleDeleteAuthorizer)
	m.HandleFunc("POST /v2/tags/{arn}", s.handleTagResource)
	m.HandleFunc("GET /v2/tags/{arn}", s.handleGetTags)
	m.HandleFunc("DELETE /v2/tags/{arn}", s.handleUntagResource)
	s.registerREST(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		awserr.Write(w, awserr.New(http.StatusNotImplemented, awserr.NotImplemented,
			fmt.Sprintf("the emulator does not implement the API Gateway operation %s %s", r.Method, r.URL.Path)))
	})
	s.mux = m
	return s
}

// ServeHTTP serves the control planes: /v2/apis… (HTTP APIs), /v2/tags… and
// /restapis… (REST APIs).
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// APIs returns every API, ordered by name.
func (s *Service) APIs() []API {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]API, 0, len(s.apis))
	for _, a := range s.apis {
		out = append(out, a.API)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

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
	if s.addAPI(w, id, func() { s.apis[id] = a }) {
		s.log.Info("http api created", "api_id", id, "name", a.Name)
		awserr.WriteJSON(w, http.StatusCreated, a.API)
	}
}

func (s *Service) handleGetAPIs(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	items := inRegion(s, r, s.apis, func(a *httpAPI) API { return a.API })
	s.mu.RUnlock()
	writeItems(w, "items", items, func(v API) string { return v.Name })
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

// Reset deletes every API, as a fresh emulator has none.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis = map[string]*httpAPI{}
	s.rest = map[string]*restAPI{}
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

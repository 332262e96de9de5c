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
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"sync"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/defaults"
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
	s := &Service{log: defaults.Logger(opts.Logger), invoker: opts.Invoker,
		accountID: cmp.Or(opts.AccountID, defaults.AccountID), region: cmp.Or(opts.Region, defaults.Region),
		onTrace: opts.OnTrace, apis: map[string]*httpAPI{}, rest: map[string]*restAPI{}}
	m := http.NewServeMux()
	s.register(m, httpAPIOperations)
	s.register(m, restAPIOperations)
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

// Reset deletes every API, as a fresh emulator has none.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apis = map[string]*httpAPI{}
	s.rest = map[string]*restAPI{}
}

// Package router is the data service's HTTP interface: a chi router that
// speaks JSON (the bodies of package contract) over package service. It is
// not called httpapi because "HTTP API" is API Gateway's product, which
// sits in front of it. The same http.Handler serves API
// Gateway events (through package adapter) and plain HTTP in tests.
//
// The routes and their contract are documented in lambda/README.md. Every
// error body is contract.ErrorResponse. Handlers only decode requests,
// identify the caller from the bearer token and encode answers; every
// rule, including who may change what, lives in package service.
package router

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// MaxBodyBytes bounds request bodies; larger ones get 413 too_large.
const MaxBodyBytes = 64 << 10

// healthTimeout keeps /health fast when the database hangs rather than
// refusing: a health check that takes the whole Lambda timeout is useless.
const healthTimeout = 3 * time.Second

type api struct {
	svc *service.Service
	log *slog.Logger
}

// New returns the data service's HTTP handler. log receives one line per
// request and the details of internal errors; nil means slog.Default().
func New(svc *service.Service, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	a := &api{svc: svc, log: log}
	r := chi.NewRouter()
	// Root middlewares wrap the whole router, so 404s and 405s are
	// logged and protected too.
	r.Use(a.logRequests, timeRequests, a.recoverPanics)
	r.NotFound(a.notFound)
	r.MethodNotAllowed(a.methodNotAllowed(r))

	r.Get("/health", a.health)

	r.Post("/users", a.handle(a.register))
	r.Post("/sessions", a.handle(a.login))
	r.Delete("/sessions/current", a.handle(a.logout))
	r.Get("/users/{id:[0-9]+}", a.handle(a.getUser))
	r.Patch("/users/{id:[0-9]+}", a.handle(a.updateUser))

	r.Get("/rooms", a.handle(a.listRooms))
	r.Post("/rooms", a.handle(a.createRoom))
	r.Get("/rooms/{id:[0-9]+}", a.handle(a.getRoom))
	r.Patch("/rooms/{id:[0-9]+}", a.handle(a.updateRoom))
	r.Delete("/rooms/{id:[0-9]+}", a.handle(a.deleteRoom))
	r.Get("/rooms/{id:[0-9]+}/messages", a.handle(a.roomMessages))
	r.Post("/rooms/{id:[0-9]+}/messages", a.handle(a.postMessage))

	r.Get("/messages", a.handle(a.listMessages))
	r.Get("/messages/{id:[0-9]+}", a.handle(a.getMessage))
	r.Delete("/messages/{id:[0-9]+}", a.handle(a.deleteMessage))

	r.Get("/topics", a.handle(a.listTopics))
	r.Get("/home", a.handle(a.home))
	return r
}

// endpoint is a handler that returns its status and body (or an error);
// handle writes them, so every route answers the same way.
type endpoint func(w http.ResponseWriter, r *http.Request) (int, any, error)

// handle adapts an endpoint to a route: an error goes to fail, 204 has
// no body, anything else is written as JSON.
func (a *api) handle(fn endpoint) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, body, err := fn(w, r)
		switch {
		case err != nil:
			a.fail(w, r, err)
		case status == http.StatusNoContent:
			w.WriteHeader(status)
		default:
			contract.WriteJSON(w, status, body)
		}
	}
}

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := a.svc.Ping(ctx); err != nil {
		// Expected while the database is down, so a warning, and the
		// client learns only that it is unavailable.
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "health check failed",
			append(requestAttrs(r.Context()), slog.String("error", err.Error()))...)
		contract.WriteJSON(w, http.StatusServiceUnavailable, contract.ErrorResponse{Error: &contract.Error{
			Code: contract.CodeUnavailable, Message: "the database is unavailable"}})
		return
	}
	contract.WriteJSON(w, http.StatusOK, contract.Health{Status: "ok"})
}

func (a *api) notFound(w http.ResponseWriter, r *http.Request) {
	a.fail(w, r, service.Errorf(contract.CodeNotFound, "no route for %s %s", r.Method, r.URL.Path))
}

// methodNotAllowed answers 405 with an Allow header. chi hands the allowed
// methods only to its default handler, so they are recomputed here by
// asking the router which methods match the path.
func (a *api) methodNotAllowed(mux *chi.Mux) http.HandlerFunc {
	methods := []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions}
	return func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, m := range methods {
			if mux.Match(chi.NewRouteContext(), m, r.URL.Path) {
				allowed = append(allowed, m)
			}
		}
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		a.fail(w, r, service.Errorf(contract.CodeMethodNotAllowed, "method %s is not allowed on %s", r.Method, r.URL.Path))
	}
}

// Package httpapi is the data service's HTTP interface: a chi router that
// speaks JSON over package service. The same http.Handler serves API
// Gateway events (through package adapter) and plain HTTP in tests.
//
// Routes (see lambda/README.md for the full contract):
//
//	GET  /health          200 {"status":"ok"} | 503 unavailable
//	GET  /rooms?q=&page=  200 service.RoomPage
//	POST /rooms           201 service.Room
//	GET  /topics?q=       200 service.TopicList
//
// Every error body is service.ErrorResponse.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

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
	r.Use(a.logRequests, a.recoverPanics)
	r.NotFound(a.notFound)
	r.MethodNotAllowed(a.methodNotAllowed(r))

	r.Get("/health", a.health)
	r.Get("/rooms", a.listRooms)
	r.Post("/rooms", a.createRoom)
	r.Get("/topics", a.listTopics)
	return r
}

func (a *api) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	if err := a.svc.Ping(ctx); err != nil {
		// Expected while the database is down, so a warning, and the
		// client learns only that it is unavailable.
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "health check failed",
			append(requestAttrs(r.Context()), slog.String("error", err.Error()))...)
		writeJSON(w, http.StatusServiceUnavailable, service.ErrorResponse{Error: &service.Error{
			Code: service.CodeUnavailable, Message: "the database is unavailable"}})
		return
	}
	writeJSON(w, http.StatusOK, service.Health{Status: "ok"})
}

func (a *api) listRooms(w http.ResponseWriter, r *http.Request) {
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			a.fail(w, r, &service.Error{Code: service.CodeBadRequest, Message: "page must be a positive integer",
				Fields: map[string]string{"page": "must be a positive integer"}})
			return
		}
		page = n
	}
	res, err := a.svc.ListRooms(r.Context(), r.URL.Query().Get("q"), page)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (a *api) createRoom(w http.ResponseWriter, r *http.Request) {
	var in service.NewRoom
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	// TEMPORARY: every room is hosted by the seeded demo user until
	// login exists; then the host is the token's user.
	host, err := a.svc.DemoHost(r.Context())
	if err != nil {
		// A missing demo user is a broken deployment, not the
		// client's 404: %v drops the *service.Error so it reads as
		// internal.
		a.fail(w, r, fmt.Errorf("demo host: %v", err))
		return
	}
	room, err := a.svc.CreateRoom(r.Context(), host.ID, in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/rooms/"+strconv.FormatInt(room.ID, 10))
	writeJSON(w, http.StatusCreated, room)
}

func (a *api) listTopics(w http.ResponseWriter, r *http.Request) {
	res, err := a.svc.ListTopics(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (a *api) notFound(w http.ResponseWriter, r *http.Request) {
	a.fail(w, r, service.Errorf(service.CodeNotFound, "no route for %s %s", r.Method, r.URL.Path))
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
		a.fail(w, r, service.Errorf(service.CodeMethodNotAllowed, "method %s is not allowed on %s", r.Method, r.URL.Path))
	}
}

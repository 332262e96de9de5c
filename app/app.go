// Package app is The Cool Room web app: server-rendered pages over the data
// API (reached through API Gateway) and static files served from S3.
package app

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coolroom/testbed/app/dataapi"
)

// Config wires the app to its backing services.
type Config struct {
	Logger *slog.Logger
	// Data is the data API client (API Gateway invoke URL).
	Data *dataapi.Client
	// S3 and Bucket hold the static files the deployer published.
	S3     *s3.Client
	Bucket string
}

// App is the web app's HTTP handler.
type App struct {
	log    *slog.Logger
	data   *dataapi.Client
	s3     *s3.Client
	bucket string
	pages  *pages
	router http.Handler
}

// New parses the templates (failing fast on errors) and builds the router.
func New(cfg Config) (*App, error) {
	if cfg.Data == nil || cfg.S3 == nil || cfg.Bucket == "" {
		return nil, errors.New("app: Data, S3 and Bucket are required")
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	a := &App{log: cfg.Logger, data: cfg.Data, s3: cfg.S3, bucket: cfg.Bucket, pages: p}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	r := chi.NewRouter()
	r.Use(middleware.RequestID, a.logRequests, middleware.Recoverer, middleware.GetHead)
	r.Get("/", a.handleHome)
	r.Get("/create-room", a.handleCreateRoomForm)
	r.Post("/create-room", a.handleCreateRoom)
	r.Get("/static/*", a.handleStatic)
	r.Get("/healthz", a.handleHealth)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) {
		a.renderError(w, r, http.StatusNotFound, "Page not found", "There is no page at this address.", false)
	})
	// Cross-origin POSTs (CSRF) are refused with 403 by Go's own check of
	// Sec-Fetch-Site and Origin.
	a.router = http.NewCrossOriginProtection().Handler(r)
	return a, nil
}

// ServeHTTP serves the app.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// logRequests writes one line per request: method, path, status, duration.
func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		a.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"duration_ms", time.Since(start).Milliseconds(), "request_id", middleware.GetReqID(r.Context()))
	})
}

func (a *App) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}`))
}

package app

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/coolroom/testbed/app/dataapi"
)

// logRequests gives each request an id, returns it to the browser in
// X-Request-Id and sends it with each data-API call the page makes (API
// Gateway's trace and the data service's log name it), writes one line
// per request (method, path, status, duration, the id and the API Gateway
// request ids of the calls) and reports the page view to Config.OnPage.
// The id is always the app's own: a browser's X-Request-Id is not taken,
// so nobody can file their requests under another page view.
func (a *App) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := a.newRequestID()
		w.Header().Set(dataapi.RequestIDHeader, id)
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		ctx, calls := dataapi.WithCalls(context.WithValue(r.Context(), middleware.RequestIDKey, id), id)
		next.ServeHTTP(ww, r.WithContext(ctx))
		total := time.Since(start)
		a.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", ww.Status(),
			"duration_ms", total.Milliseconds(), "request_id", id, "apigw_request_ids", calls.IDs())
		if a.onPage != nil {
			a.onPage(PageView{RequestID: id, Method: r.Method, Path: r.URL.RequestURI(), Status: ww.Status(),
				Start: start, Total: total, Own: calls.Timing(total)[0].Dur, Calls: len(calls.IDs())})
		}
	})
}

// PageView is one request the app served, as Config.OnPage receives it.
type PageView struct {
	RequestID    string
	Method, Path string
	Status       int
	Start        time.Time
	Total        time.Duration
	// Own is the app's own time: Total minus the time data-API calls were
	// in flight.
	Own time.Duration
	// Calls counts the data-API calls that reached API Gateway.
	Calls int
}

// newRequestID returns a process-unique request id: a random prefix
// chosen at start and a counter ("k3f9x2q1-000042").
func (a *App) newRequestID() string {
	return fmt.Sprintf("%s-%06d", a.idPrefix, a.idSeq.Add(1))
}

// recoverPanics turns a panic into the friendly 500 page; the stack trace
// goes to the log, never to the browser.
func (a *App) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				a.renderError(w, r, http.StatusInternalServerError, "Something went wrong",
					"The page could not be shown. The problem has been logged.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only our own scripts, styles and images: an
// injected <script> or on* attribute would not run even if escaping ever
// failed.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

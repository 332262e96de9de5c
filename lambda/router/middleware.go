package router

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
)

// RequestID returns the id that ties a request's log lines to the Lambda
// invocation: the Lambda request id when the handler runs in Lambda, else
// API Gateway's request id, else "".
func RequestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		return lc.AwsRequestID
	}
	return gatewayRequestID(ctx)
}

// gatewayRequestID returns API Gateway's request id from the context the
// proxy adapter builds, for payload 2.0 or 1.0 events.
func gatewayRequestID(ctx context.Context) string {
	if rc, ok := core.GetAPIGatewayV2ContextFromContext(ctx); ok && rc.RequestID != "" {
		return rc.RequestID
	}
	if rc, ok := core.GetAPIGatewayContextFromContext(ctx); ok && rc.RequestID != "" {
		return rc.RequestID
	}
	return ""
}

// requestAttrs are the log attributes identifying the request.
func requestAttrs(ctx context.Context) []slog.Attr {
	var attrs []slog.Attr
	if id := RequestID(ctx); id != "" {
		attrs = append(attrs, slog.String("request_id", id))
	}
	if id := gatewayRequestID(ctx); id != "" && id != RequestID(ctx) {
		attrs = append(attrs, slog.String("apigw_request_id", id))
	}
	return attrs
}

// statusWriter records the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path, status, duration,
// and the caller's X-Request-Id (the web app's page view) as
// app_request_id, so one search finds the page, the gateway call and this
// line.
func (a *api) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		a.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			append([]slog.Attr{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Duration("duration", time.Since(start)),
				slog.Int("bytes", sw.bytes),
			}, append(requestAttrs(r.Context()), callerAttrs(r)...)...)...)
	})
}

// callerAttrs names the caller's request id, cut to 128 bytes: it is the
// client's text.
func callerAttrs(r *http.Request) []slog.Attr {
	id := r.Header.Get("X-Request-Id")
	if id == "" {
		return nil
	}
	if len(id) > 128 {
		id = id[:128]
	}
	return []slog.Attr{slog.String("app_request_id", id)}
}

// recoverPanics turns a panic into a logged internal error, so one bad
// request never kills a warm Lambda instance.
func (a *api) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec) // the server's way to abort a response
			}
			a.fail(w, r, fmt.Errorf("panic: %v\n%s", rec, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

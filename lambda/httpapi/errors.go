package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/coolroom/testbed/lambda/service"
)

// statusOf maps an error code to its HTTP status.
func statusOf(code service.ErrorCode) int {
	switch code {
	case service.CodeValidationFailed:
		return http.StatusUnprocessableEntity
	case service.CodeNotFound:
		return http.StatusNotFound
	case service.CodeBadRequest:
		return http.StatusBadRequest
	case service.CodeUnauthorized:
		return http.StatusUnauthorized
	case service.CodeForbidden:
		return http.StatusForbidden
	case service.CodeConflict:
		return http.StatusConflict
	case service.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case service.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case service.CodeUnavailable:
		return http.StatusServiceUnavailable
	case service.CodeTooManyAttempts:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// fail writes err as the JSON error body. A *service.Error is shown as is;
// anything else is logged here, once, with the request ids, and the client
// gets a generic internal error that leaks nothing but the id to quote.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *service.Error
	if !errors.As(err, &se) || se.Code == service.CodeInternal {
		ctx := r.Context()
		a.log.LogAttrs(ctx, slog.LevelError, "internal error",
			append(requestAttrs(ctx),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("error", err.Error()))...)
		se = &service.Error{Code: service.CodeInternal, Message: "internal error"}
		if errors.Is(err, context.DeadlineExceeded) {
			// Most likely the Lambda deadline: worth retrying later.
			se = &service.Error{Code: service.CodeUnavailable, Message: "the request timed out"}
		}
		if id := RequestID(ctx); id != "" {
			se.Message += " (request id " + id + ")"
		}
	}
	switch {
	case se.Code == service.CodeUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="coolroom"`)
	case se.RetryAfter > 0:
		// Whole seconds, rounded up: "0" would invite an immediate retry.
		w.Header().Set("Retry-After", strconv.FormatInt(int64((se.RetryAfter+time.Second-1)/time.Second), 10))
	}
	writeJSON(w, statusOf(se.Code), service.ErrorResponse{Error: se})
}

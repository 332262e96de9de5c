package router

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// fail writes err as the JSON error body. A *contract.Error is shown as is;
// anything else is logged here, once, with the request ids, and the client
// gets a generic internal error that leaks nothing but the id to quote.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *contract.Error
	if !errors.As(err, &se) || se.Code == contract.CodeInternal {
		ctx := r.Context()
		a.log.LogAttrs(ctx, slog.LevelError, "internal error",
			append(requestAttrs(ctx),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("error", err.Error()))...)
		se = &contract.Error{Code: contract.CodeInternal, Message: "internal error"}
		if errors.Is(err, context.DeadlineExceeded) {
			// Most likely the Lambda deadline: worth retrying later.
			se = &contract.Error{Code: contract.CodeUnavailable, Message: "the request timed out"}
		}
		if id := RequestID(ctx); id != "" {
			se.Message += " (request id " + id + ")"
		}
	}
	switch {
	case se.Code == contract.CodeUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="coolroom"`)
	case se.RetryAfter > 0:
		// Whole seconds, rounded up: "0" would invite an immediate retry.
		w.Header().Set("Retry-After", strconv.FormatInt(int64((se.RetryAfter+time.Second-1)/time.Second), 10))
	}
	contract.WriteJSON(w, se.Code.Status(), contract.ErrorResponse{Error: se})
}

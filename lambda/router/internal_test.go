package router

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/coolroom/testbed/lambda/contract"
)

func TestPanicBecomesLoggedInternalError(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	a := &api{log: slog.New(slog.NewJSONHandler(&logs, nil))}
	h := a.logRequests(a.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})))
	req := httptest.NewRequest("GET", "/rooms", nil)
	ctx := lambdacontext.NewContext(req.Context(), &lambdacontext.LambdaContext{AwsRequestID: "req-123"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))

	if rec.Code != 500 {
		t.Errorf("status %d", rec.Code)
	}
	var e contract.ErrorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code != contract.CodeInternal {
		t.Fatalf("body %s (%v)", rec.Body, err)
	}
	// The client gets the id to quote, not the panic.
	if e.Error.Message != "internal error (request id req-123)" || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("message %q", e.Error.Message)
	}
	out := logs.String()
	if strings.Count(out, `"msg":"internal error"`) != 1 || !strings.Contains(out, "boom") ||
		strings.Count(out, `"request_id":"req-123"`) != 2 || !strings.Contains(out, `"status":500`) {
		t.Errorf("logs:\n%s", out)
	}
}

func TestDeadlineIsUnavailable(t *testing.T) {
	t.Parallel()
	a := &api{log: slog.New(slog.DiscardHandler)}
	rec := httptest.NewRecorder()
	a.fail(rec, httptest.NewRequest("GET", "/rooms", nil), context.DeadlineExceeded)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"code":"unavailable"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// The Invoke operation: Service.Invoke for in-process callers (API Gateway,
// function URLs) and its HTTP handler (invocation types, payload limits, the
// log tail).

package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/internal/httpserver"
)

// Limits and headers of the Invoke operation, as AWS applies them.
const (
	maxSyncPayload  = 6 << 20
	logTailBytes    = 4096
	invocationTypeH = "X-Amz-Invocation-Type"
)

// RequestResponse invocation. An error is returned for control-plane
// failures (unknown function, throttling); function failures are in Result.
func (s *Service) Invoke(ctx context.Context, nameOrARN string, payload []byte) (*Result, error) {
	fn, err := s.lookupQualified(nameOrARN, "")
	if err != nil {
		return nil, err
	}
	return fn.invoke(ctx, payload)
}

func (s *Service) handleInvoke(w http.ResponseWriter, r *http.Request) {
	fn, err := s.lookupQualified(r.PathValue("name"), r.URL.Query().Get("Qualifier"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, maxSyncPayload+1))
	if err != nil {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidRequestContent, err.Error()))
		return
	}
	if len(payload) > maxSyncPayload {
		awserr.Write(w, awserr.New(http.StatusRequestEntityTooLarge, "RequestTooLargeException",
			fmt.Sprintf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)))
		return
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidRequestContent, "Could not parse request body into json: the payload is not valid JSON"))
		return
	}
	w.Header().Set("X-Amz-Executed-Version", fn.versionLabel())
	switch typ := r.Header.Get(invocationTypeH); typ {
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	case "Event":
		go func() {
			if _, err := fn.invoke(context.Background(), payload); err != nil {
				s.log.Warn("async lambda invocation failed", "function", fn.name, "err", err)
			}
		}()
		w.WriteHeader(http.StatusAccepted)
		return
	case "", "RequestResponse":
	default:
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "unknown invocation type "+typ))
		return
	}
	// A synchronous invocation may run (and wait for an instance) for up
	// to the function's timeout, longer than the server's write timeout.
	_ = httpserver.Stream(w)
	res, err := fn.invoke(r.Context(), payload)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	w.Header().Set("X-Amzn-RequestId", res.RequestID)
	if strings.EqualFold(r.Header.Get("X-Amz-Log-Type"), "Tail") {
		tail := res.Log
		if len(tail) > logTailBytes {
			tail = tail[len(tail)-logTailBytes:]
		}
		w.Header().Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString([]byte(tail)))
	}
	if res.FunctionError != "" {
		w.Header().Set("X-Amz-Function-Error", res.FunctionError)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.Payload)
}

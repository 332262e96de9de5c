package apigateway

import (
	"encoding/json"
	"io"
	"net/http"
	"time"
)

// ServeFunctionURL invokes the function behind a Lambda function URL
// (AuthType NONE) with the payload 2.0 event AWS sends, and maps its answer
// as HTTP APIs do. It lives here because the event and the response
// mapping are API Gateway's; lookup resolves the URL id to a function ARN.
func (s *Service) ServeFunctionURL(w http.ResponseWriter, r *http.Request, urlID string, lookup func(id string) (string, bool)) {
	start := time.Now()
	requestID := newRequestID()
	arn, ok := lookup(urlID)
	if !ok {
		writeGateway(w, http.StatusNotFound, msgNotFound)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFunctionURLBody+1))
	if err != nil || len(body) > maxFunctionURLBody {
		writeGateway(w, http.StatusRequestEntityTooLarge, msgTooLarge)
		return
	}
	ri := requestInfo{r: r, body: body, api: &API{APIID: urlID}, stage: DefaultStage, rawPath: r.URL.EscapedPath(),
		routeKey: DefaultRoute, requestID: requestID, at: start}
	ev := ri.eventV2()
	ev.RequestContext.AccountID = "anonymous" // AuthType NONE, as AWS reports it
	payload, err := json.Marshal(ev)
	if err != nil {
		writeGateway(w, http.StatusInternalServerError, msgInternalError)
		return
	}
	tr := &Trace{RequestID: requestID, Start: start, APIID: urlID, Method: r.Method, Path: ri.rawPath}
	o := s.invokeFunction(r, tr, arn, payload, maxFunctionURLTime)
	status := http.StatusBadGateway
	switch {
	case o.timedOut, o.err != nil, o.failed:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("Internal Server Error"))
	default:
		status = writeV2Response(w, o.payload)
	}
	s.log.Info("function url", "url_id", urlID, "method", r.Method, "path", ri.rawPath, "status", status,
		"duration_ms", time.Since(start).Milliseconds(), "request_id", requestID)
}

// Function URL limits: a 6 MB payload, and the function's own timeout
// (at most 15 minutes) instead of a gateway's.
const (
	maxFunctionURLBody = 6 << 20
	maxFunctionURLTime = 15 * time.Minute
)

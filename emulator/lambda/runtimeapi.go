package lambda

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/coolroom/testbed/internal/httpserver"
)

// Runtime API limits, as AWS documents them.
const (
	maxResponseSize = 6 << 20
	runtimeAPIPath  = "/2018-06-01/runtime"
)

// runtimeAPITimeouts bound the connections of the bootstrap process; the
// /next long poll, which waits for the instance's next invocation for as
// long as it stays warm, lifts them.
var runtimeAPITimeouts = httpserver.Timeouts{ReadHeader: 10 * time.Second, Read: time.Minute, Write: time.Minute, Idle: 2 * time.Minute}

// runtimeAPI is the Lambda Runtime API that one instance's bootstrap polls:
// what aws-lambda-go's runtime client speaks.
func (in *instance) runtimeAPI() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+runtimeAPIPath+"/invocation/next", in.handleNext)
	mux.HandleFunc("POST "+runtimeAPIPath+"/invocation/{id}/response", in.handleResponse)
	mux.HandleFunc("POST "+runtimeAPIPath+"/invocation/{id}/error", in.handleError)
	mux.HandleFunc("POST "+runtimeAPIPath+"/init/error", in.handleInitError)
	return mux
}

// handleNext blocks until the instance is given an invocation, then hands
// it to the runtime with the headers AWS sends.
func (in *instance) handleNext(w http.ResponseWriter, r *http.Request) {
	_ = httpserver.Stream(w)
	in.markInitDone()
	var inv *invocation
	select {
	case inv = <-in.pending:
	case <-r.Context().Done():
		return
	case <-in.exited:
		return
	}
	in.fn.mu.Lock()
	arn, timeout := in.fn.arn, time.Duration(in.fn.timeout)*time.Second
	in.fn.mu.Unlock()
	inv.deadline = time.Now().Add(timeout)
	in.mu.Lock()
	in.current = inv
	in.mu.Unlock()

	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", arn)
	h.Set("Lambda-Runtime-Trace-Id", inv.traceID)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(inv.payload)
	close(inv.delivered)
}

func (in *instance) currentFor(w http.ResponseWriter, id string) *invocation {
	in.mu.Lock()
	inv := in.current
	in.mu.Unlock()
	if inv == nil || inv.id != id {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: "+id)
		return nil
	}
	return inv
}

func (in *instance) handleResponse(w http.ResponseWriter, r *http.Request) {
	inv := in.currentFor(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxResponseSize+1))
	if err != nil {
		writeRuntimeError(w, http.StatusBadRequest, "InvalidRequest", err.Error())
		return
	}
	if len(body) > maxResponseSize {
		writeRuntimeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "response payload exceeds 6291456 bytes")
		inv.finish(invokeResult{err: &FunctionError{Type: "Function.ResponseSizeTooLarge",
			Message: "Response payload size exceeded maximum allowed payload size (6291556 bytes)."}})
		return
	}
	in.clearCurrent(inv)
	in.output.drain()
	inv.finish(invokeResult{payload: body})
	writeRuntimeAccepted(w)
}

func (in *instance) handleError(w http.ResponseWriter, r *http.Request) {
	inv := in.currentFor(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxResponseSize))
	in.clearCurrent(inv)
	in.output.drain()
	inv.finish(invokeResult{err: functionErrorFromBody(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))})
	writeRuntimeAccepted(w)
}

func (in *instance) handleInitError(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxResponseSize))
	fe := functionErrorFromBody(body, r.Header.Get("Lambda-Runtime-Function-Error-Type"))
	select {
	case in.initErr <- fe:
	default:
	}
	writeRuntimeAccepted(w)
}

func (in *instance) clearCurrent(inv *invocation) {
	in.mu.Lock()
	if in.current == inv {
		in.current = nil
	}
	in.mu.Unlock()
}

// functionErrorFromBody reads the error document a runtime posts
// ({"errorMessage","errorType","stackTrace"}), keeping it verbatim.
func functionErrorFromBody(body []byte, headerType string) *FunctionError {
	var doc struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	_ = json.Unmarshal(body, &doc)
	fe := &FunctionError{Type: doc.ErrorType, Message: doc.ErrorMessage, raw: body}
	if fe.Type == "" {
		fe.Type = headerType
	}
	return fe
}

func writeRuntimeAccepted(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	_, _ = w.Write([]byte(`{"status":"OK"}`))
}

func writeRuntimeError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"errorType": typ, "errorMessage": msg})
}

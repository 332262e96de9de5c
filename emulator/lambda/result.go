// Result and FunctionError: what one invocation returns to its callers (the
// Invoke operation, API Gateway, function URLs and the console).

package lambda

import (
	"context"
	"encoding/json"
	"time"
)

// FunctionError is an error raised by or around the function's code
// (Unhandled in AWS terms): the runtime's error report, a crash, a timeout.
type FunctionError struct {
	Type    string
	Message string
	raw     []byte
}

// Error implements error.
func (e *FunctionError) Error() string { return e.Type + ": " + e.Message }

// Payload is the error document returned to the caller.
func (e *FunctionError) Payload() []byte {
	if len(e.raw) > 0 {
		return e.raw
	}
	b, _ := json.Marshal(map[string]string{"errorType": e.Type, "errorMessage": e.Message})
	return b
}

// Result is the outcome of one invocation.
type Result struct {
	RequestID string
	// Payload is the function's response, or the error document when
	// FunctionError is set.
	Payload []byte
	// FunctionError is "Unhandled" when the function failed, as in the
	// X-Amz-Function-Error header.
	FunctionError string
	// ErrorType is the runtime's errorType for failures (Runtime.ExitError, …).
	ErrorType string
	// TimedOut is set when the function ran past its timeout.
	TimedOut bool
	Duration time.Duration
	// Log holds the START/END/REPORT lines and the function's output.
	Log string
	// Instance and PID say which execution environment served it.
	Instance string
	PID      int
	// Cold is set when the instance was started for this invocation.
	Cold bool
	// InitDuration is, for a cold start, the time from starting bootstrap
	// to its first poll for an invocation (AWS's "Init Duration").
	InitDuration time.Duration
	// MaxMemoryUsedMB is the instance process's peak resident set size so
	// far (AWS's "Max Memory Used"); 0 where the OS does not tell.
	MaxMemoryUsedMB int
	// Queued is how long the invocation waited for an instance because
	// the function had as many live processes as the emulator allows.
	Queued time.Duration
	// CallerRequestID is the request id of the service that invoked the
	// function (API Gateway's), from WithCallerRequestID; it lets the
	// console tie the invocation to the request that caused it.
	CallerRequestID string
}

// callerKey is the context key of WithCallerRequestID.
type callerKey struct{}

// WithCallerRequestID returns a context that makes Invoke record id as the
// caller's request id in the Result (and so in the invocation observer).
func WithCallerRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, callerKey{}, id)
}

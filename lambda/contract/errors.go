package contract

import (
	"fmt"
	"net/http"
	"time"
)

// ErrorCode is the stable, machine-readable kind of an error. Clients branch
// on it; the accompanying message is for humans and may change.
type ErrorCode string

// The error codes of the data service. Each travels with one HTTP status
// (see Status); the codes, not the statuses, are the contract.
const (
	CodeValidationFailed ErrorCode = "validation_failed"  // 422: see Fields
	CodeNotFound         ErrorCode = "not_found"          // 404
	CodeBadRequest       ErrorCode = "bad_request"        // 400: malformed request
	CodeUnauthorized     ErrorCode = "unauthorized"       // 401: missing or bad token
	CodeForbidden        ErrorCode = "forbidden"          // 403: not the owner
	CodeConflict         ErrorCode = "conflict"           // 409: e.g. username taken
	CodeInternal         ErrorCode = "internal"           // 500: details only in the log
	CodeMethodNotAllowed ErrorCode = "method_not_allowed" // 405
	CodeTooLarge         ErrorCode = "too_large"          // 413: body over the limit
	CodeUnavailable      ErrorCode = "unavailable"        // 503: database unreachable
	CodeTooManyAttempts  ErrorCode = "too_many_attempts"  // 429: login locked for a while
)

// statuses maps each code to the HTTP status it is answered with.
var statuses = map[ErrorCode]int{
	CodeValidationFailed: http.StatusUnprocessableEntity,
	CodeNotFound:         http.StatusNotFound,
	CodeBadRequest:       http.StatusBadRequest,
	CodeUnauthorized:     http.StatusUnauthorized,
	CodeForbidden:        http.StatusForbidden,
	CodeConflict:         http.StatusConflict,
	CodeInternal:         http.StatusInternalServerError,
	CodeMethodNotAllowed: http.StatusMethodNotAllowed,
	CodeTooLarge:         http.StatusRequestEntityTooLarge,
	CodeUnavailable:      http.StatusServiceUnavailable,
	CodeTooManyAttempts:  http.StatusTooManyRequests,
}

// Codes lists every error code, for tests that must cover them all.
var Codes = []ErrorCode{
	CodeValidationFailed, CodeNotFound, CodeBadRequest, CodeUnauthorized, CodeForbidden, CodeConflict,
	CodeInternal, CodeMethodNotAllowed, CodeTooLarge, CodeUnavailable, CodeTooManyAttempts,
}

// Status returns the HTTP status an error of code c is answered with; an
// unknown code is a 500.
func (c ErrorCode) Status() int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error is an outcome the client should see. The service returns it from
// every layer; on the wire it is the value of the "error" key of
// ErrorResponse; the client decodes it back and returns it as the error
// of the call.
type Error struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
	// Fields maps an input field name to what is wrong with it; only
	// validation (and some bad_request and conflict) errors carry it.
	Fields map[string]string `json:"fields,omitempty"`
	// Status is the HTTP status the error arrived with. The client sets
	// it; the service leaves it 0 and answers with Code.Status().
	Status int `json:"-"`
	// RetryAfter, when positive, tells the client how long to wait before
	// trying again; it travels as the Retry-After header, not in the body.
	RetryAfter time.Duration `json:"-"`
}

// Error implements the error interface. An error that came over the wire
// (Status set) says so, with its status, for the client's logs.
func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		s += fmt.Sprintf(" %v", e.Fields)
	}
	if e.Status != 0 {
		s = fmt.Sprintf("data API %d %s", e.Status, s)
	}
	return s
}

// ErrorResponse is the body of every error answer:
// {"error":{"code":"...","message":"...","fields":{...}}}.
type ErrorResponse struct {
	Error *Error `json:"error"`
}

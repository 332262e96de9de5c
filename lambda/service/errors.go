package service

import (
	"errors"
	"fmt"
	"time"
)

// ErrorCode is the stable, machine-readable kind of an error. Clients branch
// on it; the accompanying message is for humans and may change.
type ErrorCode string

// The error codes of the data service. Each maps to one HTTP status (see
// package httpapi); the codes, not the statuses, are the contract.
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

// Error is the error every layer returns for an outcome the client should
// see. On the wire it is the value of the "error" key of ErrorResponse.
// Any other error reaching the HTTP layer is treated as internal and never
// shown to the client.
type Error struct {
	Code    ErrorCode `json:"code"`
	Message string    `json:"message"`
	// Fields maps an input field name to what is wrong with it; only
	// validation errors carry it.
	Fields map[string]string `json:"fields,omitempty"`
	// RetryAfter, when positive, tells the client how long to wait before
	// trying again (the HTTP layer sends it as Retry-After); it is not part
	// of the JSON body.
	RetryAfter time.Duration `json:"-"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
}

// ErrorResponse is the body of every error response:
// {"error":{"code":"...","message":"...","fields":{...}}}.
type ErrorResponse struct {
	Error *Error `json:"error"`
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ValidationError returns a validation_failed error listing the bad fields.
func ValidationError(fields map[string]string) *Error {
	return &Error{Code: CodeValidationFailed, Message: "the request has invalid fields", Fields: fields}
}

// CodeOf returns the code of err if it is (or wraps) an *Error, and
// CodeInternal otherwise.
func CodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Convenience constructors for the common outcomes.

// NotFound returns a not_found error for the kind of thing and its id.
func NotFound(kind string, id int64) *Error {
	return Errorf(CodeNotFound, "%s %d not found", kind, id)
}

// Forbidden returns a forbidden error with message.
func Forbidden(message string) *Error {
	return &Error{Code: CodeForbidden, Message: message}
}

// Unauthorized returns an unauthorized error with message.
func Unauthorized(message string) *Error {
	return &Error{Code: CodeUnauthorized, Message: message}
}

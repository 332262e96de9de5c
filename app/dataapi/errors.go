package dataapi

import (
	"errors"
	"fmt"
)

// ErrUnavailable means the data service could not answer: API Gateway or
// the Lambda failed, timed out, or could not be reached.
var ErrUnavailable = errors.New("the data service is unavailable")

// The stable error codes of the data API the app branches on.
const (
	CodeValidationFailed = "validation_failed"
	CodeBadRequest       = "bad_request"
	CodeUnauthorized     = "unauthorized"
	CodeForbidden        = "forbidden"
	CodeNotFound         = "not_found"
	CodeConflict         = "conflict"
	CodeTooLarge         = "too_large"
	CodeTooManyAttempts  = "too_many_attempts"
	CodeInternal         = "internal"
	CodeUnavailable      = "unavailable"
)

// Error is an error the data service answered on purpose, with a stable
// code, a message for people and, for validation errors, the bad fields.
type Error struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("data API %d %s: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("data API %d %s: %s %v", e.Status, e.Code, e.Message, e.Fields)
}

// CodeOf returns the data-service error code of err, or "" when err is
// not an answer of the service (nil, or ErrUnavailable).
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// FieldsOf returns the per-field messages of a validation or conflict error.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) && e.Fields != nil {
		return e.Fields
	}
	return map[string]string{}
}

type errorResponse struct {
	Error *Error `json:"error"`
}

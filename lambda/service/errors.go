package service

import (
	"errors"
	"fmt"

	"github.com/coolroom/testbed/lambda/contract"
)

// Every layer returns *contract.Error for an outcome the client should
// see. Any other error reaching the router is treated as internal and
// never shown to the client. These are its constructors.

// Errorf returns an error with the given code and a formatted message.
func Errorf(code contract.ErrorCode, format string, args ...any) *contract.Error {
	return &contract.Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ValidationError returns a validation_failed error listing the bad fields.
func ValidationError(fields map[string]string) *contract.Error {
	return &contract.Error{Code: contract.CodeValidationFailed, Message: "the request has invalid fields", Fields: fields}
}

// CodeOf returns the code of err if it is (or wraps) a *contract.Error,
// and CodeInternal otherwise.
func CodeOf(err error) contract.ErrorCode {
	var e *contract.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return contract.CodeInternal
}

// NotFound returns a not_found error for the kind of thing and its id.
func NotFound(kind string, id int64) *contract.Error {
	return Errorf(contract.CodeNotFound, "%s %d not found", kind, id)
}

// Forbidden returns a forbidden error with message.
func Forbidden(message string) *contract.Error {
	return &contract.Error{Code: contract.CodeForbidden, Message: message}
}

// Unauthorized returns an unauthorized error with message.
func Unauthorized(message string) *contract.Error {
	return &contract.Error{Code: contract.CodeUnauthorized, Message: message}
}

package dataapi

import (
	"errors"

	"github.com/coolroom/testbed/lambda/contract"
)

// ErrUnavailable means the data service could not answer: API Gateway or
// the Lambda failed, timed out, or could not be reached.
var ErrUnavailable = errors.New("the data service is unavailable")

// An error the data service answered on purpose comes back as a
// *contract.Error with its Status set; everything else wraps
// ErrUnavailable.

// CodeOf returns the data-service error code of err: the code the
// service answered with, contract.CodeUnavailable when the service could
// not answer (ErrUnavailable: the user can only try again), and "" for
// nil or any other error. Callers switch on it, so "the service is down"
// is one case among the codes.
func CodeOf(err error) contract.ErrorCode {
	var e *contract.Error
	switch {
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, ErrUnavailable):
		return contract.CodeUnavailable
	}
	return ""
}

// FieldsOf returns the per-field messages of a validation or conflict error.
func FieldsOf(err error) map[string]string {
	var e *contract.Error
	if errors.As(err, &e) && e.Fields != nil {
		return e.Fields
	}
	return map[string]string{}
}

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

// CodeOf returns the data-service error code of err, or "" when err is
// not an answer of the service (nil, or ErrUnavailable).
func CodeOf(err error) contract.ErrorCode {
	var e *contract.Error
	if errors.As(err, &e) {
		return e.Code
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

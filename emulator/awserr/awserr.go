// Package awserr is the REST-JSON wire of the emulator's Lambda and API
// Gateway control planes: it writes AWS error responses in the shape their
// SDK clients decode (the error code in the X-Amzn-ErrorType header and a
// JSON body with the message), writes JSON answers (the emulator's one JSON
// writer, which the console's API uses too), and reads JSON request bodies,
// refusing bodies not sent as JSON.
package awserr

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// Code is an AWS error code, such as ResourceNotFoundException.
type Code string

// Error codes shared by the REST-JSON services the emulator implements.
const (
	ResourceNotFound      Code = "ResourceNotFoundException"
	ResourceConflict      Code = "ResourceConflictException"
	InvalidParameterValue Code = "InvalidParameterValueException"
	InvalidRequestContent Code = "InvalidRequestContentException"
	TooManyRequests       Code = "TooManyRequestsException"
	ServiceException      Code = "ServiceException"
	NotFound              Code = "NotFoundException"
	Conflict              Code = "ConflictException"
	BadRequest            Code = "BadRequestException"
	NotImplemented        Code = "NotImplementedException"
	// UnsupportedMediaType is Lambda's answer (415) to a request body whose
	// content type is not JSON.
	UnsupportedMediaType Code = "UnsupportedMediaTypeException"
)

// Error is an AWS service error with the HTTP status it is sent with.
type Error struct {
	Status  int
	Code    Code
	Message string
	// Reason, when set, is sent as the body's "Reason" (Lambda's throttle
	// reason, which the SDK decodes into TooManyRequestsException.Reason).
	Reason string
}

// Error implements error.
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// New returns an Error.
func New(status int, code Code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Write sends err as an AWS REST-JSON error. Errors that are not *Error are
// sent as a 500 ServiceException without their text, which may be internal.
func Write(w http.ResponseWriter, err error) {
	e, ok := err.(*Error)
	if !ok {
		e = New(http.StatusInternalServerError, ServiceException, "internal error in the emulator")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", string(e.Code))
	w.WriteHeader(e.Status)
	// Lambda sends "Type" and "message"; API Gateway sends "message". The SDK
	// reads the code from the header and the message from either.
	body := map[string]string{"Type": "User", "message": e.Message, "Message": e.Message}
	if e.Reason != "" {
		body["Reason"] = e.Reason
	}
	_ = json.NewEncoder(w).Encode(body)
}

// WriteJSON sends v as a JSON response with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads a JSON request body into v, answering malformed input
// with the given service's "bad request" code.
//
// A body must be sent as JSON (application/json, application/x-amz-json-*
// or any +json type), as every AWS SDK and CLI sends it: a browser can send
// text/plain, form and multipart bodies to another site without asking
// (no CORS preflight), so accepting those would let any web page drive the
// control plane. Lambda answers 415 UnsupportedMediaTypeException; API
// Gateway, which has no such code, answers 400 with its own code.
func DecodeJSON(r *http.Request, v any, code Code) error {
	if r.ContentLength != 0 && !isJSON(r.Header.Get("Content-Type")) {
		msg := fmt.Sprintf("the request body must be JSON (Content-Type: application/json), not %q", r.Header.Get("Content-Type"))
		if code == InvalidRequestContent {
			return New(http.StatusUnsupportedMediaType, UnsupportedMediaType, msg)
		}
		return New(http.StatusBadRequest, code, msg)
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 100<<20))
	if err := dec.Decode(v); err != nil {
		return New(http.StatusBadRequest, code, "could not parse request body: "+err.Error())
	}
	return nil
}

// isJSON reports whether a Content-Type value names a JSON body.
func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/x-amz-json-") || strings.HasSuffix(mt, "+json")
}

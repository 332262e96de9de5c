package router

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// decodeJSON reads a body of exactly one JSON object into dst, at most
// MaxBodyBytes long, rejecting unknown fields so a client's typo is an
// error rather than silently ignored input. Errors are *contract.Error with
// messages fit for the client.
//
// encoding/json quietly turns invalid UTF-8 and lone UTF-16 surrogates
// (a "\ud800" escape with no partner) into U+FFFD, which would store
// something the client never sent; both are refused here first. So is a
// body that is valid JSON but not an object (null, a number, a string),
// which would otherwise decode as an empty request and fail validation
// with a misleading 422.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	tooLarge := service.Errorf(contract.CodeTooLarge, "the request body must be at most %d KiB", MaxBodyBytes>>10)
	if r.ContentLength > MaxBodyBytes {
		return tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return tooLarge
	}
	if err != nil {
		return service.Errorf(contract.CodeBadRequest, "the request body could not be read")
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(dst)
	if err == nil {
		// Anything after the object, other than white space, is an
		// error too: "{} {}" is not one object.
		if _, err = dec.Token(); errors.Is(err, io.EOF) {
			return nil
		} else if err == nil {
			return service.Errorf(contract.CodeBadRequest, "the request body must hold a single JSON object")
		}
	}
	var syntaxErr *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return service.Errorf(contract.CodeBadRequest, "the request body is empty; expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return service.Errorf(contract.CodeBadRequest, "malformed JSON: unexpected end of the body")
	case errors.As(err, &syntaxErr):
		return service.Errorf(contract.CodeBadRequest, "malformed JSON at byte %d: %s", syntaxErr.Offset,
			strings.TrimPrefix(syntaxErr.Error(), "json: "))
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return service.Errorf(contract.CodeBadRequest, "the request body must be a JSON object, not %s", typeErr.Value)
		}
		return &contract.Error{Code: contract.CodeBadRequest,
			Message: fmt.Sprintf("field %q must be a %s, not %s", typeErr.Field, typeErr.Type, typeErr.Value),
			Fields:  map[string]string{typeErr.Field: "must be a " + typeErr.Type.String()}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for unknown fields.
		return service.Errorf(contract.CodeBadRequest, "%s", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return service.Errorf(contract.CodeBadRequest, "malformed JSON body")
	}
}

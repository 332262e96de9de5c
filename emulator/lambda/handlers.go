// The openings every control-plane handler shares: find the function the
// path names and decode the JSON body, answering the caller with Lambda's
// error when either fails.

package lambda

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// functionOf finds the function named by the path's {name} (a name, ARN or
// partial ARN); when there is none it writes ResourceNotFoundException and
// reports false.
func (s *Service) functionOf(w http.ResponseWriter, r *http.Request) (*function, bool) {
	fn, err := s.lookup(r.PathValue("name"))
	if err != nil {
		awserr.Write(w, err)
		return nil, false
	}
	return fn, true
}

// functionAndBody is functionOf followed by decodeBody, in AWS's order: an
// unknown function is reported before a malformed body.
func (s *Service) functionAndBody(w http.ResponseWriter, r *http.Request, in any) (*function, bool) {
	fn, ok := s.functionOf(w, r)
	if !ok || !decodeBody(w, r, in) {
		return nil, false
	}
	return fn, true
}

// decodeBody decodes the request's JSON body into in; a body that is not
// JSON is answered with the error and false.
func decodeBody(w http.ResponseWriter, r *http.Request, in any) bool {
	if err := awserr.DecodeJSON(r, in, awserr.InvalidRequestContent); err != nil {
		awserr.Write(w, err)
		return false
	}
	return true
}

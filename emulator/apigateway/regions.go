package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awsauth"
	"github.com/coolroom/testbed/emulator/awserr"
)

// customIDTag is LocalStack's convention for choosing an API's id: a tag
// with this key on CreateApi or CreateRestApi becomes the id, so tests that
// pin an id (and URLs built from it) keep working.
const customIDTag = "_custom_id_"

// validCustomID keeps a chosen id usable as a host label and path segment:
// 1-128 letters, digits, '-' or '_'. (A loop, not a regexp compiled at
// start: the emulator's idle memory is a target.)
func validCustomID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// regionOf is the region a control-plane request is signed for: APIs live
// in the region they were created in, as on AWS. Unsigned requests use the
// emulator's default region.
func (s *Service) regionOf(r *http.Request) string { return awsauth.Region(r, s.region) }

// idTaken refuses an API id already in use by an HTTP or REST API in any
// region (ids are global: the execute-api URL names only the id), or one
// that cannot appear in a URL. The caller holds the write lock.
func (s *Service) idTaken(id string) error {
	if !validCustomID(id) {
		return badRequest("Invalid " + customIDTag + " tag value " + id + ": use 1-128 letters, digits, '-' or '_'")
	}
	_, isHTTP := s.apis[id]
	_, isREST := s.rest[id]
	if isHTTP || isREST {
		return awserr.New(http.StatusConflict, awserr.Conflict, "API with id "+id+" already exists")
	}
	return nil
}

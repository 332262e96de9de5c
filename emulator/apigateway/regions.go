package apigateway

import (
	"net/http"
	"regexp"

	"github.com/coolroom/testbed/emulator/awsauth"
	"github.com/coolroom/testbed/emulator/awserr"
)

// customIDTag is LocalStack's convention for choosing an API's id: a tag
// with this key on CreateApi or CreateRestApi becomes the id, so tests that
// pin an id (and URLs built from it) keep working.
const customIDTag = "_custom_id_"

// customIDPattern keeps a chosen id usable as a host label and path segment.
var customIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// regionOf is the region a control-plane request is signed for: APIs live
// in the region they were created in, as on AWS. Unsigned requests use the
// emulator's default region.
func (s *Service) regionOf(r *http.Request) string { return awsauth.Region(r, s.region) }

// idTaken refuses an API id already in use by an HTTP or REST API in any
// region (ids are global: the execute-api URL names only the id), or one
// that cannot appear in a URL. The caller holds the write lock.
func (s *Service) idTaken(id string) error {
	if !customIDPattern.MatchString(id) {
		return awserr.New(http.StatusBadRequest, awserr.BadRequest,
			"Invalid "+customIDTag+" tag value "+id+": use 1-128 letters, digits, '-' or '_'")
	}
	_, isHTTP := s.apis[id]
	_, isREST := s.rest[id]
	if isHTTP || isREST {
		return awserr.New(http.StatusConflict, awserr.Conflict, "API with id "+id+" already exists")
	}
	return nil
}

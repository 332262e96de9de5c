package apigateway

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

// TagResource, UntagResource and GetTags on HTTP APIs, addressed by ARN
// (arn:aws:apigateway:<region>::/apis/<id>) in one path segment.

// maxTags is API Gateway's limit of tags per resource.
const maxTags = 50

// taggedAPI finds the HTTP API an ARN names; the ARN's region must be the
// API's. The caller holds the lock.
func (s *Service) taggedAPI(arn string) (*httpAPI, error) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:apigateway:")
	region, path, _ := strings.Cut(rest, "::")
	id, isAPI := strings.CutPrefix(path, "/apis/")
	if !ok || !isAPI || id == "" || strings.Contains(id, "/") {
		return nil, awserr.New(http.StatusNotFound, awserr.NotFound,
			"Invalid resource ARN "+arn+": the emulator tags HTTP APIs (arn:aws:apigateway:<region>::/apis/<id>)")
	}
	a, found := s.apis[id]
	if !found || a.region != region {
		return nil, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid API identifier specified "+s.accountID+":"+id)
	}
	return a, nil
}

func (s *Service) handleTagResource(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[tagsRequest](w, r)
	if !ok {
		return
	}
	for k, v := range in.Tags {
		if k == "" || len(k) > 128 || len(v) > 256 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			awserr.Write(w, badRequest("Invalid tag "+k+": keys are 1-128 characters not starting with aws:, values at most 256"))
			return
		}
	}
	s.withTaggedAPI(w, r, func(a *httpAPI) {
		merged := map[string]string{}
		for k, v := range a.Tags {
			merged[k] = v
		}
		for k, v := range in.Tags {
			merged[k] = v
		}
		if len(merged) > maxTags {
			awserr.Write(w, badRequest("a resource can have at most 50 tags"))
			return
		}
		a.Tags = merged
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("{}"))
	})
}

// withTaggedAPI runs f with the HTTP API the ARN in the path names, under
// the write lock.
func (s *Service) withTaggedAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.taggedAPI(r.PathValue("arn"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	f(a)
}

func (s *Service) handleUntagResource(w http.ResponseWriter, r *http.Request) {
	keys := r.URL.Query()["tagKeys"]
	s.withTaggedAPI(w, r, func(a *httpAPI) {
		for _, k := range keys {
			delete(a.Tags, k)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handleGetTags(w http.ResponseWriter, r *http.Request) {
	s.withTaggedAPI(w, r, func(a *httpAPI) {
		awserr.WriteJSON(w, http.StatusOK, map[string]any{"tags": a.Tags})
	})
}

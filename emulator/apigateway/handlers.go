package apigateway

import (
	"net/http"
	"sort"

	"github.com/coolroom/testbed/emulator/awserr"
)

// readAPI runs f with the HTTP API named in the request path, under the
// read lock; an unknown id answers NotFoundException.
func (s *Service) readAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.withAPI(w, r, f)
}

// writeAPI is readAPI under the write lock, for handlers that change the API.
func (s *Service) writeAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.withAPI(w, r, f)
}

func (s *Service) withAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	a, err := s.api(r, r.PathValue("api"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	f(a)
}

// readRestAPI runs f with the REST API named in the path, under the read lock.
func (s *Service) readRestAPI(w http.ResponseWriter, r *http.Request, f func(a *restAPI)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.withRestAPI(w, r, f)
}

// writeRestAPI is readRestAPI under the write lock.
func (s *Service) writeRestAPI(w http.ResponseWriter, r *http.Request, f func(a *restAPI)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.withRestAPI(w, r, f)
}

func (s *Service) withRestAPI(w http.ResponseWriter, r *http.Request, f func(a *restAPI)) {
	a, err := s.restAPIByID(r, r.PathValue("api"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	f(a)
}

// writeItems sends a list response, {"items": …} for HTTP APIs and
// {"item": …} for REST APIs, ordered by key.
func writeItems[V any](w http.ResponseWriter, listKey string, m map[string]V, key func(V) string) {
	items := make([]V, 0, len(m))
	for _, v := range m {
		items = append(items, v)
	}
	sort.Slice(items, func(i, j int) bool { return key(items[i]) < key(items[j]) })
	awserr.WriteJSON(w, http.StatusOK, map[string]any{listKey: items})
}

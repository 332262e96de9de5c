package apigateway

import (
	"net/http"
	"sort"

	"github.com/coolroom/testbed/emulator/awserr"
)

// The building blocks every control-plane handler of both API kinds (HTTP
// APIs, REST APIs) is made of: decode the body, find the API in the path
// under the service lock, find one of its children, answer a list.

// regional is an API of either kind: it lives in the region it was created
// in, and other regions do not see it.
type regional interface{ createdIn() string }

func (a *httpAPI) createdIn() string { return a.region }
func (a *restAPI) createdIn() string { return a.region }

// findAPI returns the API id names among apis if the request is for its
// region, else NotFoundException. The caller holds the lock.
func findAPI[A regional](s *Service, r *http.Request, apis map[string]A, id string) (A, error) {
	a, ok := apis[id]
	if !ok || a.createdIn() != s.regionOf(r) {
		var none A
		return none, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid API identifier specified "+s.accountID+":"+id)
	}
	return a, nil
}

// listAPIs answers a list of the APIs of one kind in the request's
// region, as view shows them, ordered by name.
func listAPIs[A regional, V any](s *Service, w http.ResponseWriter, r *http.Request, listKey string,
	apis func() map[string]A, view func(A) V, name func(V) string) {
	region := s.regionOf(r)
	s.mu.RLock()
	items := make(map[string]V, len(apis()))
	for id, a := range apis() {
		if a.createdIn() == region {
			items[id] = view(a)
		}
	}
	s.mu.RUnlock()
	writeItems(w, listKey, items, name)
}

// addAPI runs add, which stores a new API of either kind ("http", "rest")
// under id, under the write lock unless idTaken refuses the id, and
// answers 201 with shape, the API's JSON.
func (s *Service) addAPI(w http.ResponseWriter, kind, id, name string, shape any, add func()) {
	s.mu.Lock()
	err := s.idTaken(id)
	if err == nil {
		add()
	}
	s.mu.Unlock()
	if err != nil {
		awserr.Write(w, err)
		return
	}
	s.log.Info(kind+" api created", "api_id", id, "name", name)
	awserr.WriteJSON(w, http.StatusCreated, shape)
}

// withAPI runs f with the API named by the path's {api} among the ones
// apis returns, under the write lock if write is set and the read lock
// otherwise; an unknown id answers NotFoundException.
func withAPI[A regional](s *Service, w http.ResponseWriter, r *http.Request, write bool, apis func() map[string]A, f func(a A)) {
	if write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	a, err := findAPI(s, r, apis(), r.PathValue("api"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	f(a)
}

func (s *Service) httpAPIs() map[string]*httpAPI { return s.apis }
func (s *Service) restAPIs() map[string]*restAPI { return s.rest }

// readAPI runs f with the HTTP API named in the request path, under the
// read lock; an unknown id answers NotFoundException.
func (s *Service) readAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	withAPI(s, w, r, false, s.httpAPIs, f)
}

// writeAPI is readAPI under the write lock, for handlers that change the API.
func (s *Service) writeAPI(w http.ResponseWriter, r *http.Request, f func(a *httpAPI)) {
	withAPI(s, w, r, true, s.httpAPIs, f)
}

// readRestAPI runs f with the REST API named in the path, under the read lock.
func (s *Service) readRestAPI(w http.ResponseWriter, r *http.Request, f func(a *restAPI)) {
	withAPI(s, w, r, false, s.restAPIs, f)
}

// writeRestAPI is readRestAPI under the write lock.
func (s *Service) writeRestAPI(w http.ResponseWriter, r *http.Request, f func(a *restAPI)) {
	withAPI(s, w, r, true, s.restAPIs, f)
}

// decodeBody reads the JSON request body into a T; on malformed input it
// answers BadRequestException and returns false.
func decodeBody[T any](w http.ResponseWriter, r *http.Request) (T, bool) {
	var in T
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return in, false
	}
	return in, true
}

func notFound(what string) error {
	return awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid "+what+" identifier specified")
}

func badRequest(msg string) error {
	return awserr.New(http.StatusBadRequest, awserr.BadRequest, msg)
}

// child returns the child id names in children (a route, stage,
// resource, …), or NotFoundException naming what it is.
func child[V any](children map[string]V, id, what string) (V, error) {
	v, ok := children[id]
	if !ok {
		return v, notFound(what)
	}
	return v, nil
}

// getChild answers a Get of one child of the API in the path (a route,
// integration, stage, resource, …), named by the path wildcard key.
func getChild[A, V any](w http.ResponseWriter, r *http.Request, read func(http.ResponseWriter, *http.Request, func(A)),
	key, what string, children func(a A) map[string]V) {
	read(w, r, func(a A) {
		v, err := child(children(a), r.PathValue(key), what)
		if err != nil {
			awserr.Write(w, err)
			return
		}
		awserr.WriteJSON(w, http.StatusOK, v)
	})
}

// deleteChild answers a Delete of one child of the HTTP API in the path,
// named by the path wildcard key: 204, NotFoundException, or inUse's error
// (inUse may be nil) when something still refers to it.
func deleteChild[V any](s *Service, w http.ResponseWriter, r *http.Request, key, what string,
	children func(a *httpAPI) map[string]V, inUse func(a *httpAPI, id string) error) {
	s.writeAPI(w, r, func(a *httpAPI) {
		id := r.PathValue(key)
		if _, err := child(children(a), id, what); err != nil {
			awserr.Write(w, err)
			return
		}
		if inUse != nil {
			if err := inUse(a, id); err != nil {
				awserr.Write(w, err)
				return
			}
		}
		delete(children(a), id)
		w.WriteHeader(http.StatusNoContent)
	})
}

// updateChild answers an Update of one child of the HTTP API in the path,
// named by the path wildcard key: it decodes the body into a T, finds the
// child (or answers NotFoundException naming what) and runs update with
// it under the write lock.
func updateChild[T, V any](s *Service, w http.ResponseWriter, r *http.Request, key, what string,
	children func(a *httpAPI) map[string]V, update func(a *httpAPI, cur V, in T)) {
	in, ok := decodeBody[T](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		cur, err := child(children(a), r.PathValue(key), what)
		if err != nil {
			awserr.Write(w, err)
			return
		}
		update(a, cur, in)
	})
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

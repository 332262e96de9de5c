package apigateway

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// REST APIs' (API Gateway v1) resources and their methods:
// Get/Create/DeleteResource, GetResources, Put/DeleteMethod, PutIntegration.

func (s *Service) handleGetResources(w http.ResponseWriter, r *http.Request) {
	s.readRestAPI(w, r, func(a *restAPI) {
		writeItems(w, "item", a.resources, func(v *Resource) string { return v.Path })
	})
}

func (s *Service) handleGetResource(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readRestAPI, "id", "Resource", func(a *restAPI) map[string]*Resource { return a.resources })
}

func (s *Service) handleCreateResource(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createResourceRequest](w, r)
	if !ok {
		return
	}
	part := ptr.Value(in.PathPart)
	if part == "" || strings.Contains(part, "/") {
		awserr.Write(w, badRequest("Resource's path part must be one non-empty path segment"))
		return
	}
	s.writeRestAPI(w, r, func(a *restAPI) {
		parent, err := child(a.resources, r.PathValue("parent"), "Resource")
		if err != nil {
			awserr.Write(w, err)
			return
		}
		if strings.HasSuffix(parent.PathPart, "+}") {
			awserr.Write(w, badRequest("Cannot create a child of a resource with a greedy path variable: "+parent.Path))
			return
		}
		path := strings.TrimSuffix(parent.Path, "/") + "/" + part
		for _, existing := range a.resources {
			if existing.Path == path {
				awserr.Write(w, awserr.New(http.StatusConflict, awserr.Conflict, "Another resource with the same parent already has this name: "+part))
				return
			}
		}
		res := &Resource{ID: newID(6), ParentID: parent.ID, PathPart: part, Path: path}
		a.resources[res.ID] = res
		awserr.WriteJSON(w, http.StatusCreated, res)
	})
}

// handleDeleteResource deletes a resource with its methods and every
// resource under it, as API Gateway does; the root cannot be deleted.
func (s *Service) handleDeleteResource(w http.ResponseWriter, r *http.Request) {
	s.writeRestResource(w, r, func(a *restAPI, res *Resource) {
		if res.ID == a.RootResourceID {
			awserr.Write(w, badRequest("Cannot delete root resource"))
			return
		}
		for id, other := range a.resources {
			if other.Path == res.Path || strings.HasPrefix(other.Path, res.Path+"/") {
				delete(a.resources, id)
			}
		}
		w.WriteHeader(http.StatusAccepted)
	})
}

// handleDeleteMethod removes a method (and its integration) from a resource.
func (s *Service) handleDeleteMethod(w http.ResponseWriter, r *http.Request) {
	s.writeRestResource(w, r, func(_ *restAPI, res *Resource) {
		method := strings.ToUpper(r.PathValue("method"))
		if _, err := child(res.ResourceMethods, method, "Method"); err != nil {
			awserr.Write(w, err)
			return
		}
		delete(res.ResourceMethods, method)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handlePutMethod(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[putMethodRequest](w, r)
	if !ok {
		return
	}
	method := strings.ToUpper(r.PathValue("method"))
	if !routeMethods[method] {
		awserr.Write(w, badRequest("Invalid HttpMethod specified: "+method))
		return
	}
	auth := ptr.Value(in.AuthorizationType)
	if auth == "" {
		auth = "NONE"
	}
	s.writeRestResource(w, r, func(_ *restAPI, res *Resource) {
		if res.ResourceMethods == nil {
			res.ResourceMethods = map[string]*Method{}
		}
		m := &Method{HTTPMethod: method, AuthorizationType: auth, APIKeyRequired: in.APIKeyRequired}
		res.ResourceMethods[method] = m
		awserr.WriteJSON(w, http.StatusCreated, m)
	})
}

func (s *Service) handlePutIntegration(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[putIntegrationRequest](w, r)
	if !ok {
		return
	}
	if in.Type != IntegrationProxy {
		awserr.Write(w, badRequest(fmt.Sprintf("integration type %q is not supported by the emulator: use AWS_PROXY with a Lambda function", in.Type)))
		return
	}
	if functionFromURI(ptr.Value(in.URI)) == "" {
		awserr.Write(w, badRequest("Invalid ARN specified in the request: uri must be a Lambda function invocation ARN"))
		return
	}
	timeout := int32(restTimeoutMS)
	if in.TimeoutInMillis != nil && *in.TimeoutInMillis >= 50 && *in.TimeoutInMillis <= restTimeoutMS {
		timeout = *in.TimeoutInMillis
	}
	s.writeRestResource(w, r, func(_ *restAPI, res *Resource) {
		m, err := child(res.ResourceMethods, strings.ToUpper(r.PathValue("method")), "Method")
		if err != nil {
			awserr.Write(w, err)
			return
		}
		m.Integration = &RestIntegration{Type: IntegrationProxy, HTTPMethod: ptr.Value(in.IntegrationHTTPMethod), URI: *in.URI,
			TimeoutInMillis: timeout, PassthroughPolicy: "WHEN_NO_MATCH"}
		awserr.WriteJSON(w, http.StatusCreated, m.Integration)
	})
}

// writeRestResource runs f, under the write lock, with the REST API and
// the resource the path's {api} and {id} name.
func (s *Service) writeRestResource(w http.ResponseWriter, r *http.Request, f func(a *restAPI, res *Resource)) {
	s.writeRestAPI(w, r, func(a *restAPI) {
		res, err := child(a.resources, r.PathValue("id"), "Resource")
		if err != nil {
			awserr.Write(w, err)
			return
		}
		f(a, res)
	})
}

package apigateway

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// The REST API (API Gateway v1) control plane: the subset a Lambda proxy
// needs, which is what LocalStack Community offers. Its JSON is lowerCamel
// with epoch-second timestamps, and lists come under "item".

// RestAPI is a REST API in its JSON shape.
type RestAPI struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	Description    string            `json:"description,omitempty"`
	CreatedDate    int64             `json:"createdDate"`
	RootResourceID string            `json:"rootResourceId"`
	APIKeySource   string            `json:"apiKeySource"`
	BinaryMedia    []string          `json:"binaryMediaTypes,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	Endpoint       struct {
		Types []string `json:"types"`
	} `json:"endpointConfiguration"`
}

// Resource is one path node of a REST API.
type Resource struct {
	ID              string             `json:"id"`
	ParentID        string             `json:"parentId,omitempty"`
	PathPart        string             `json:"pathPart,omitempty"`
	Path            string             `json:"path"`
	ResourceMethods map[string]*Method `json:"resourceMethods,omitempty"`
}

// Method is an HTTP method on a resource with its integration.
type Method struct {
	HTTPMethod        string           `json:"httpMethod"`
	AuthorizationType string           `json:"authorizationType"`
	APIKeyRequired    bool             `json:"apiKeyRequired"`
	Integration       *RestIntegration `json:"methodIntegration,omitempty"`
}

// RestIntegration is a method's backend: AWS_PROXY to a Lambda function.
type RestIntegration struct {
	Type              string `json:"type"`
	HTTPMethod        string `json:"httpMethod"`
	URI               string `json:"uri"`
	TimeoutInMillis   int32  `json:"timeoutInMillis"`
	PassthroughPolicy string `json:"passthroughBehavior"`
}

// RestDeployment is a snapshot a stage points to; the emulator serves the
// live configuration, as if every change were redeployed.
type RestDeployment struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	CreatedDate int64  `json:"createdDate"`
}

// RestStage names a deployment.
type RestStage struct {
	StageName       string            `json:"stageName"`
	DeploymentID    string            `json:"deploymentId"`
	Description     string            `json:"description,omitempty"`
	CreatedDate     int64             `json:"createdDate"`
	LastUpdatedDate int64             `json:"lastUpdatedDate"`
	Variables       map[string]string `json:"variables,omitempty"`
}

// restAPI is a REST API with its children.
type restAPI struct {
	RestAPI
	resources   map[string]*Resource
	deployments map[string]*RestDeployment
	stages      map[string]*RestStage
	region      string // the region it was created in; other regions do not see it
}

// restTimeoutMS is the REST integration limit (29 s).
const restTimeoutMS = 29000

func (s *Service) registerREST(m *http.ServeMux) {
	m.HandleFunc("POST /restapis", s.handleCreateRestAPI)
	m.HandleFunc("GET /restapis", s.handleGetRestAPIs)
	m.HandleFunc("GET /restapis/{api}", s.handleGetRestAPI)
	m.HandleFunc("DELETE /restapis/{api}", s.handleDeleteRestAPI)
	m.HandleFunc("GET /restapis/{api}/resources", s.handleGetResources)
	m.HandleFunc("POST /restapis/{api}/resources/{parent}", s.handleCreateResource)
	m.HandleFunc("GET /restapis/{api}/resources/{id}", s.handleGetResource)
	m.HandleFunc("DELETE /restapis/{api}/resources/{id}", s.handleDeleteResource)
	m.HandleFunc("PUT /restapis/{api}/resources/{id}/methods/{method}", s.handlePutMethod)
	m.HandleFunc("DELETE /restapis/{api}/resources/{id}/methods/{method}", s.handleDeleteMethod)
	m.HandleFunc("PUT /restapis/{api}/resources/{id}/methods/{method}/integration", s.handlePutIntegration)
	m.HandleFunc("POST /restapis/{api}/deployments", s.handleCreateRestDeployment)
	m.HandleFunc("GET /restapis/{api}/stages", s.handleGetRestStages)
	m.HandleFunc("GET /restapis/{api}/stages/{stage}", s.handleGetRestStage)
}

func (s *Service) handleCreateRestAPI(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createRestAPIRequest](w, r)
	if !ok {
		return
	}
	if ptr.Value(in.Name) == "" {
		awserr.Write(w, badRequest("Invalid REST API name specified"))
		return
	}
	id := in.Tags[customIDTag]
	if id == "" {
		id = newID(10)
	}
	root := &Resource{ID: newID(10), Path: "/"}
	a := &restAPI{
		RestAPI: RestAPI{ID: id, Name: *in.Name, Description: ptr.Value(in.Description), CreatedDate: time.Now().Unix(),
			RootResourceID: root.ID, APIKeySource: "HEADER", BinaryMedia: in.BinaryMediaTypes, Tags: in.Tags},
		region:      s.regionOf(r),
		resources:   map[string]*Resource{root.ID: root},
		deployments: map[string]*RestDeployment{},
		stages:      map[string]*RestStage{},
	}
	a.Endpoint.Types = []string{"EDGE"}
	if s.addAPI(w, id, func() { s.rest[id] = a }) {
		s.log.Info("rest api created", "api_id", id, "name", a.Name)
		awserr.WriteJSON(w, http.StatusCreated, a.RestAPI)
	}
}

func (s *Service) handleGetRestAPIs(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	items := inRegion(s, r, s.rest, func(a *restAPI) RestAPI { return a.RestAPI })
	s.mu.RUnlock()
	writeItems(w, "item", items, func(v RestAPI) string { return v.Name })
}

func (s *Service) handleGetRestAPI(w http.ResponseWriter, r *http.Request) {
	s.readRestAPI(w, r, func(a *restAPI) {
		awserr.WriteJSON(w, http.StatusOK, a.RestAPI)
	})
}

func (s *Service) handleDeleteRestAPI(w http.ResponseWriter, r *http.Request) {
	s.writeRestAPI(w, r, func(a *restAPI) {
		delete(s.rest, a.ID)
		w.WriteHeader(http.StatusAccepted)
	})
}

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

func (s *Service) handleCreateRestDeployment(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createDeploymentRequest](w, r)
	if !ok {
		return
	}
	s.writeRestAPI(w, r, func(a *restAPI) {
		hasMethod := false
		for _, res := range a.resources {
			hasMethod = hasMethod || len(res.ResourceMethods) > 0
		}
		if !hasMethod {
			awserr.Write(w, badRequest("The REST API doesn't contain any methods"))
			return
		}
		now := time.Now().Unix()
		d := &RestDeployment{ID: newID(6), Description: ptr.Value(in.Description), CreatedDate: now}
		a.deployments[d.ID] = d
		if name := ptr.Value(in.StageName); name != "" {
			st, ok := a.stages[name]
			if !ok {
				st = &RestStage{StageName: name, CreatedDate: now}
				a.stages[name] = st
			}
			st.DeploymentID, st.LastUpdatedDate, st.Variables = d.ID, now, in.Variables
		}
		awserr.WriteJSON(w, http.StatusCreated, d)
	})
}

func (s *Service) handleGetRestStages(w http.ResponseWriter, r *http.Request) {
	s.readRestAPI(w, r, func(a *restAPI) {
		writeItems(w, "item", a.stages, func(v *RestStage) string { return v.StageName })
	})
}

func (s *Service) handleGetRestStage(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readRestAPI, "stage", "Stage", func(a *restAPI) map[string]*RestStage { return a.stages })
}

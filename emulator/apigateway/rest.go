package apigateway

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
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

func (s *Service) restAPIByID(r *http.Request, id string) (*restAPI, error) {
	a, ok := s.rest[id]
	if !ok || a.region != s.regionOf(r) {
		return nil, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid API identifier specified "+s.accountID+":"+id)
	}
	return a, nil
}

func (s *Service) handleCreateRestAPI(w http.ResponseWriter, r *http.Request) {
	var in createRestAPIRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	if deref(in.Name) == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Invalid REST API name specified"))
		return
	}
	id := in.Tags[customIDTag]
	if id == "" {
		id = newID(10)
	}
	root := &Resource{ID: newID(10), Path: "/"}
	a := &restAPI{
		RestAPI: RestAPI{ID: id, Name: *in.Name, Description: deref(in.Description), CreatedDate: time.Now().Unix(),
			RootResourceID: root.ID, APIKeySource: "HEADER", BinaryMedia: in.BinaryMediaTypes, Tags: in.Tags},
		region:      s.regionOf(r),
		resources:   map[string]*Resource{root.ID: root},
		deployments: map[string]*RestDeployment{},
		stages:      map[string]*RestStage{},
	}
	a.Endpoint.Types = []string{"EDGE"}
	s.mu.Lock()
	if err := s.idTaken(id); err != nil {
		s.mu.Unlock()
		awserr.Write(w, err)
		return
	}
	s.rest[id] = a
	s.mu.Unlock()
	s.log.Info("rest api created", "api_id", id, "name", a.Name)
	awserr.WriteJSON(w, http.StatusCreated, a.RestAPI)
}

func (s *Service) handleGetRestAPIs(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	items := make([]RestAPI, 0, len(s.rest))
	region := s.regionOf(r)
	for _, a := range s.rest {
		if a.region == region {
			items = append(items, a.RestAPI)
		}
	}
	s.mu.RUnlock()
	sort.Slice(items, func(i, j int) bool { return items[i].Name < items[j].Name })
	awserr.WriteJSON(w, http.StatusOK, map[string]any{"item": items})
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
	s.readRestAPI(w, r, func(a *restAPI) {
		res, ok := a.resources[r.PathValue("id")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Resource identifier specified"))
			return
		}
		awserr.WriteJSON(w, http.StatusOK, res)
	})
}

func (s *Service) handleCreateResource(w http.ResponseWriter, r *http.Request) {
	var in createResourceRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	part := deref(in.PathPart)
	if part == "" || strings.Contains(part, "/") {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Resource's path part must be one non-empty path segment"))
		return
	}
	s.writeRestAPI(w, r, func(a *restAPI) {
		parent, ok := a.resources[r.PathValue("parent")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Resource identifier specified"))
			return
		}
		if strings.HasSuffix(parent.PathPart, "+}") {
			awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Cannot create a child of a resource with a greedy path variable: "+parent.Path))
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
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.restResource(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	a := s.rest[r.PathValue("api")]
	if res.ID == a.RootResourceID {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Cannot delete root resource"))
		return
	}
	for id, other := range a.resources {
		if other.Path == res.Path || strings.HasPrefix(other.Path, res.Path+"/") {
			delete(a.resources, id)
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleDeleteMethod removes a method (and its integration) from a resource.
func (s *Service) handleDeleteMethod(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.restResource(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	method := strings.ToUpper(r.PathValue("method"))
	if _, ok := res.ResourceMethods[method]; !ok {
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Method identifier specified"))
		return
	}
	delete(res.ResourceMethods, method)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) handlePutMethod(w http.ResponseWriter, r *http.Request) {
	var in putMethodRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	method := strings.ToUpper(r.PathValue("method"))
	if !routeMethods[method] {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Invalid HttpMethod specified: "+method))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.restResource(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	if res.ResourceMethods == nil {
		res.ResourceMethods = map[string]*Method{}
	}
	auth := deref(in.AuthorizationType)
	if auth == "" {
		auth = "NONE"
	}
	m := &Method{HTTPMethod: method, AuthorizationType: auth, APIKeyRequired: in.APIKeyRequired}
	res.ResourceMethods[method] = m
	awserr.WriteJSON(w, http.StatusCreated, m)
}

func (s *Service) handlePutIntegration(w http.ResponseWriter, r *http.Request) {
	var in putIntegrationRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	if in.Type != IntegrationProxy {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest,
			fmt.Sprintf("integration type %q is not supported by the emulator: use AWS_PROXY with a Lambda function", in.Type)))
		return
	}
	if functionFromURI(deref(in.URI)) == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Invalid ARN specified in the request: uri must be a Lambda function invocation ARN"))
		return
	}
	timeout := int32(restTimeoutMS)
	if in.TimeoutInMillis != nil && *in.TimeoutInMillis >= 50 && *in.TimeoutInMillis <= restTimeoutMS {
		timeout = *in.TimeoutInMillis
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.restResource(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	m, ok := res.ResourceMethods[strings.ToUpper(r.PathValue("method"))]
	if !ok {
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Method identifier specified"))
		return
	}
	m.Integration = &RestIntegration{Type: IntegrationProxy, HTTPMethod: deref(in.IntegrationHTTPMethod), URI: *in.URI,
		TimeoutInMillis: timeout, PassthroughPolicy: "WHEN_NO_MATCH"}
	awserr.WriteJSON(w, http.StatusCreated, m.Integration)
}

func (s *Service) restResource(r *http.Request) (*Resource, error) {
	a, err := s.restAPIByID(r, r.PathValue("api"))
	if err != nil {
		return nil, err
	}
	res, ok := a.resources[r.PathValue("id")]
	if !ok {
		return nil, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Resource identifier specified")
	}
	return res, nil
}

func (s *Service) handleCreateRestDeployment(w http.ResponseWriter, r *http.Request) {
	var in createDeploymentRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeRestAPI(w, r, func(a *restAPI) {
		hasMethod := false
		for _, res := range a.resources {
			hasMethod = hasMethod || len(res.ResourceMethods) > 0
		}
		if !hasMethod {
			awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "The REST API doesn't contain any methods"))
			return
		}
		now := time.Now().Unix()
		d := &RestDeployment{ID: newID(6), Description: deref(in.Description), CreatedDate: now}
		a.deployments[d.ID] = d
		if name := deref(in.StageName); name != "" {
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
	s.readRestAPI(w, r, func(a *restAPI) {
		st, ok := a.stages[r.PathValue("stage")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Stage identifier specified"))
			return
		}
		awserr.WriteJSON(w, http.StatusOK, st)
	})
}

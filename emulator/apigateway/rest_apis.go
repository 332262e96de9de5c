package apigateway

import (
	"net/http"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// The REST API (API Gateway v1) control plane: the subset a Lambda proxy
// needs, which is what LocalStack Community offers. Its JSON is lowerCamel
// with epoch-second timestamps, and lists come under "item". This file has
// the types and Create/Get/DeleteRestApi, GetRestApis; rest_resources.go and
// rest_stages.go the rest.

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
	s.addAPI(w, "rest", id, a.Name, a.RestAPI, func() { s.rest[id] = a })
}

func (s *Service) handleGetRestAPIs(w http.ResponseWriter, r *http.Request) {
	listAPIs(s, w, r, "item", s.restAPIs, func(a *restAPI) RestAPI { return a.RestAPI }, func(v RestAPI) string { return v.Name })
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

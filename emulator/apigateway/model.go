package apigateway

import (
	"crypto/rand"
	"time"
)

// Protocol types and integration settings the emulator supports.
const (
	ProtocolHTTP      = "HTTP"
	IntegrationProxy  = "AWS_PROXY"
	IntegrationHTTP   = "HTTP_PROXY"
	PayloadV2         = "2.0"
	PayloadV1         = "1.0"
	DefaultStage      = "$default"
	DefaultRoute      = "$default"
	maxIntegrationMS  = 30000
	iso8601           = "2006-01-02T15:04:05Z"
	routeSelectionExp = "$request.method $request.path"
)

// API is an HTTP API (API Gateway v2) in its JSON shape.
type API struct {
	APIID                     string            `json:"apiId"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	APIEndpoint               string            `json:"apiEndpoint"`
	CreatedDate               string            `json:"createdDate"`
	Description               string            `json:"description,omitempty"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	Tags                      map[string]string `json:"tags"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
}

// Integration connects routes to a Lambda function (AWS_PROXY) or an HTTP
// URL (HTTP_PROXY).
type Integration struct {
	IntegrationID        string            `json:"integrationId"`
	IntegrationType      string            `json:"integrationType"`
	IntegrationURI       string            `json:"integrationUri"`
	IntegrationMethod    string            `json:"integrationMethod"`
	PayloadFormatVersion string            `json:"payloadFormatVersion"`
	TimeoutInMillis      int32             `json:"timeoutInMillis"`
	ConnectionType       string            `json:"connectionType"`
	Description          string            `json:"description,omitempty"`
	RequestParameters    map[string]string `json:"requestParameters,omitempty"`
}

// Route maps a route key ("GET /rooms/{id}", "$default") to a target.
type Route struct {
	RouteID             string   `json:"routeId"`
	RouteKey            string   `json:"routeKey"`
	Target              string   `json:"target,omitempty"`
	AuthorizationType   string   `json:"authorizationType"`
	AuthorizerID        string   `json:"authorizerId,omitempty"`
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool     `json:"apiKeyRequired"`
}

// Stage is a named deployment of an API; the emulator deploys every change
// at once, as an auto-deploy stage does.
type Stage struct {
	StageName       string            `json:"stageName"`
	AutoDeploy      bool              `json:"autoDeploy"`
	CreatedDate     string            `json:"createdDate"`
	LastUpdatedDate string            `json:"lastUpdatedDate"`
	Description     string            `json:"description,omitempty"`
	StageVariables  map[string]string `json:"stageVariables,omitempty"`
	DeploymentID    string            `json:"deploymentId,omitempty"`
}

// httpAPI is an API with its children.
type httpAPI struct {
	API
	integrations map[string]*Integration
	routes       map[string]*Route
	stages       map[string]*Stage
	deployments  map[string]*Deployment
	authorizers  map[string]*Authorizer
	region       string // the region it was created in; other regions do not see it
}

func now() string { return time.Now().UTC().Format(iso8601) }

// newID returns an identifier like AWS's: 10 lower-case letters and digits
// (7 for integrations and routes).
func newID(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

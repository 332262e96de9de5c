package apigateway

// Request bodies of the API Gateway v2 and v1 control planes. They are
// declared here rather than decoded into aws-sdk-go-v2's input types because
// importing the SDK's service packages costs the emulator about 2 MiB of
// resident memory, and its idle footprint is a target. Field names are the
// wire names (lowerCamel); only the fields the emulator uses are listed.

type createAPIRequest struct {
	Name         *string           `json:"name"`
	ProtocolType string            `json:"protocolType"`
	Description  *string           `json:"description"`
	Target       *string           `json:"target"`
	RouteKey     *string           `json:"routeKey"`
	Tags         map[string]string `json:"tags"`
	Cors         *Cors             `json:"corsConfiguration"`
}

type updateAPIRequest struct {
	Name                      *string `json:"name"`
	Description               *string `json:"description"`
	DisableExecuteAPIEndpoint *bool   `json:"disableExecuteApiEndpoint"`
	Cors                      *Cors   `json:"corsConfiguration"`
}

// integrationRequest is the body of CreateIntegration and UpdateIntegration;
// on update, absent fields keep their value.
type integrationRequest struct {
	IntegrationType      *string           `json:"integrationType"`
	IntegrationURI       *string           `json:"integrationUri"`
	IntegrationMethod    *string           `json:"integrationMethod"`
	PayloadFormatVersion *string           `json:"payloadFormatVersion"`
	TimeoutInMillis      *int32            `json:"timeoutInMillis"`
	Description          *string           `json:"description"`
	RequestParameters    map[string]string `json:"requestParameters"`
}

type routeRequest struct {
	RouteKey            *string  `json:"routeKey"`
	Target              *string  `json:"target"`
	AuthorizationType   *string  `json:"authorizationType"`
	AuthorizerID        *string  `json:"authorizerId"`
	AuthorizationScopes []string `json:"authorizationScopes"`
}

type createStageRequest struct {
	StageName      *string           `json:"stageName"`
	AutoDeploy     *bool             `json:"autoDeploy"`
	Description    *string           `json:"description"`
	StageVariables map[string]string `json:"stageVariables"`
	DeploymentID   *string           `json:"deploymentId"`
}

type tagsRequest struct {
	Tags map[string]string `json:"tags"`
}

type createDeploymentRequest struct {
	StageName   *string           `json:"stageName"`
	Description *string           `json:"description"`
	Variables   map[string]string `json:"variables"` // REST only
}

type createRestAPIRequest struct {
	Name             *string           `json:"name"`
	Description      *string           `json:"description"`
	BinaryMediaTypes []string          `json:"binaryMediaTypes"`
	Tags             map[string]string `json:"tags"`
}

type createResourceRequest struct {
	PathPart *string `json:"pathPart"`
}

type putMethodRequest struct {
	AuthorizationType *string `json:"authorizationType"`
	APIKeyRequired    bool    `json:"apiKeyRequired"`
}

type putIntegrationRequest struct {
	Type string `json:"type"`
	// IntegrationHTTPMethod is "httpMethod" on the wire: the method API
	// Gateway calls the backend with (the resource's method is in the path).
	IntegrationHTTPMethod *string `json:"httpMethod"`
	URI                   *string `json:"uri"`
	TimeoutInMillis       *int32  `json:"timeoutInMillis"`
}

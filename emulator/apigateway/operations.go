package apigateway

import "net/http"

// operation is one control-plane operation: its AWS name, the route it is
// served on, and its handler as a method expression (which lets a test find
// the file that implements it).
type operation struct {
	name    string
	pattern string
	handle  func(*Service, http.ResponseWriter, *http.Request)
}

// httpAPIOperations are the API Gateway v2 (HTTP API) operations the
// emulator implements, restAPIOperations the v1 (REST API) ones. The
// README's API Gateway tables list the same, each with its file
// (TestREADMEListsEveryOperation).
var (
	httpAPIOperations = []operation{
		{"CreateApi", "POST /v2/apis", (*Service).handleCreateAPI},
		{"GetApis", "GET /v2/apis", (*Service).handleGetAPIs},
		{"GetApi", "GET /v2/apis/{api}", (*Service).handleGetAPI},
		{"DeleteApi", "DELETE /v2/apis/{api}", (*Service).handleDeleteAPI},
		{"UpdateApi", "PATCH /v2/apis/{api}", (*Service).handleUpdateAPI},
		{"DeleteCorsConfiguration", "DELETE /v2/apis/{api}/cors", (*Service).handleDeleteCors},
		{"DeleteIntegration", "DELETE /v2/apis/{api}/integrations/{id}", (*Service).handleDeleteIntegration},
		{"CreateIntegration", "POST /v2/apis/{api}/integrations", (*Service).handleCreateIntegration},
		{"GetIntegrations", "GET /v2/apis/{api}/integrations", (*Service).handleGetIntegrations},
		{"GetIntegration", "GET /v2/apis/{api}/integrations/{id}", (*Service).handleGetIntegration},
		{"UpdateIntegration", "PATCH /v2/apis/{api}/integrations/{id}", (*Service).handleUpdateIntegration},
		{"DeleteRoute", "DELETE /v2/apis/{api}/routes/{id}", (*Service).handleDeleteRoute},
		{"CreateRoute", "POST /v2/apis/{api}/routes", (*Service).handleCreateRoute},
		{"GetRoutes", "GET /v2/apis/{api}/routes", (*Service).handleGetRoutes},
		{"UpdateRoute", "PATCH /v2/apis/{api}/routes/{id}", (*Service).handleUpdateRoute},
		{"GetRoute", "GET /v2/apis/{api}/routes/{id}", (*Service).handleGetRoute},
		{"DeleteStage", "DELETE /v2/apis/{api}/stages/{stage}", (*Service).handleDeleteStage},
		{"CreateStage", "POST /v2/apis/{api}/stages", (*Service).handleCreateStage},
		{"GetStages", "GET /v2/apis/{api}/stages", (*Service).handleGetStages},
		{"GetStage", "GET /v2/apis/{api}/stages/{stage}", (*Service).handleGetStage},
		{"UpdateStage", "PATCH /v2/apis/{api}/stages/{stage}", (*Service).handleUpdateStage},
		{"CreateDeployment", "POST /v2/apis/{api}/deployments", (*Service).handleCreateDeployment},
		{"GetDeployments", "GET /v2/apis/{api}/deployments", (*Service).handleGetDeployments},
		{"GetDeployment", "GET /v2/apis/{api}/deployments/{id}", (*Service).handleGetDeployment},
		{"UpdateDeployment", "PATCH /v2/apis/{api}/deployments/{id}", (*Service).handleUpdateDeployment},
		{"DeleteDeployment", "DELETE /v2/apis/{api}/deployments/{id}", (*Service).handleDeleteDeployment},
		{"CreateAuthorizer", "POST /v2/apis/{api}/authorizers", (*Service).handleCreateAuthorizer},
		{"GetAuthorizers", "GET /v2/apis/{api}/authorizers", (*Service).handleGetAuthorizers},
		{"GetAuthorizer", "GET /v2/apis/{api}/authorizers/{id}", (*Service).handleGetAuthorizer},
		{"UpdateAuthorizer", "PATCH /v2/apis/{api}/authorizers/{id}", (*Service).handleUpdateAuthorizer},
		{"DeleteAuthorizer", "DELETE /v2/apis/{api}/authorizers/{id}", (*Service).handleDeleteAuthorizer},
		{"TagResource", "POST /v2/tags/{arn}", (*Service).handleTagResource},
		{"GetTags", "GET /v2/tags/{arn}", (*Service).handleGetTags},
		{"UntagResource", "DELETE /v2/tags/{arn}", (*Service).handleUntagResource},
	}
	restAPIOperations = []operation{
		{"CreateRestApi", "POST /restapis", (*Service).handleCreateRestAPI},
		{"GetRestApis", "GET /restapis", (*Service).handleGetRestAPIs},
		{"GetRestApi", "GET /restapis/{api}", (*Service).handleGetRestAPI},
		{"DeleteRestApi", "DELETE /restapis/{api}", (*Service).handleDeleteRestAPI},
		{"GetResources", "GET /restapis/{api}/resources", (*Service).handleGetResources},
		{"CreateResource", "POST /restapis/{api}/resources/{parent}", (*Service).handleCreateResource},
		{"GetResource", "GET /restapis/{api}/resources/{id}", (*Service).handleGetResource},
		{"DeleteResource", "DELETE /restapis/{api}/resources/{id}", (*Service).handleDeleteResource},
		{"PutMethod", "PUT /restapis/{api}/resources/{id}/methods/{method}", (*Service).handlePutMethod},
		{"DeleteMethod", "DELETE /restapis/{api}/resources/{id}/methods/{method}", (*Service).handleDeleteMethod},
		{"PutIntegration", "PUT /restapis/{api}/resources/{id}/methods/{method}/integration", (*Service).handlePutIntegration},
		{"CreateDeployment", "POST /restapis/{api}/deployments", (*Service).handleCreateRestDeployment},
		{"GetStages", "GET /restapis/{api}/stages", (*Service).handleGetRestStages},
		{"GetStage", "GET /restapis/{api}/stages/{stage}", (*Service).handleGetRestStage},
	}
)

// register serves ops on m.
func (s *Service) register(m *http.ServeMux, ops []operation) {
	for _, op := range ops {
		handle := op.handle
		m.HandleFunc(op.pattern, func(w http.ResponseWriter, r *http.Request) { handle(s, w, r) })
	}
}

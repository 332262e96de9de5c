package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// Deployment is an HTTP API deployment. The emulator always serves the
// live routes, so a deployment records that a stage was (re)deployed.
type Deployment struct {
	DeploymentID     string `json:"deploymentId"`
	DeploymentStatus string `json:"deploymentStatus"`
	Description      string `json:"description,omitempty"`
	CreatedDate      string `json:"createdDate"`
	AutoDeployed     bool   `json:"autoDeployed"`
}

func (s *Service) handleCreateDeployment(w http.ResponseWriter, r *http.Request) {
	var in createDeploymentRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		d := &Deployment{DeploymentID: newID(6), DeploymentStatus: "DEPLOYED", Description: deref(in.Description), CreatedDate: now()}
		if name := deref(in.StageName); name != "" {
			st, ok := a.stages[name]
			if !ok {
				awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid stage identifier specified"))
				return
			}
			st.DeploymentID, st.LastUpdatedDate = d.DeploymentID, now()
		}
		if a.deployments == nil {
			a.deployments = map[string]*Deployment{}
		}
		a.deployments[d.DeploymentID] = d
		awserr.WriteJSON(w, http.StatusCreated, d)
	})
}

func (s *Service) handleGetDeployments(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.deployments, func(v *Deployment) string { return v.CreatedDate })
	})
}

// deleteChild removes an integration, route or stage by id, answering 204
// or NotFoundException.
func (s *Service) deleteChild(w http.ResponseWriter, r *http.Request, what string, remove func(a *httpAPI, id string) bool) {
	s.writeAPI(w, r, func(a *httpAPI) {
		id := r.PathValue("id")
		if id == "" {
			id = r.PathValue("stage")
		}
		if !remove(a, id) {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid "+what+" identifier specified"))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handleDeleteIntegration(w http.ResponseWriter, r *http.Request) {
	s.deleteChild(w, r, "Integration", func(a *httpAPI, id string) bool {
		_, ok := a.integrations[id]
		delete(a.integrations, id)
		return ok
	})
}

func (s *Service) handleDeleteRoute(w http.ResponseWriter, r *http.Request) {
	s.deleteChild(w, r, "Route", func(a *httpAPI, id string) bool {
		_, ok := a.routes[id]
		delete(a.routes, id)
		return ok
	})
}

func (s *Service) handleDeleteStage(w http.ResponseWriter, r *http.Request) {
	s.deleteChild(w, r, "Stage", func(a *httpAPI, id string) bool {
		_, ok := a.stages[id]
		delete(a.stages, id)
		return ok
	})
}

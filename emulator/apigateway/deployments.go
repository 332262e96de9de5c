package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
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
	in, ok := decodeBody[createDeploymentRequest](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		d := &Deployment{DeploymentID: newID(6), DeploymentStatus: "DEPLOYED", Description: ptr.Value(in.Description), CreatedDate: now()}
		if name := ptr.Value(in.StageName); name != "" {
			st, err := child(a.stages, name, "stage")
			if err != nil {
				awserr.Write(w, err)
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

func (s *Service) handleDeleteIntegration(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations }, nil)
}

func (s *Service) handleDeleteRoute(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Route", func(a *httpAPI) map[string]*Route { return a.routes }, nil)
}

func (s *Service) handleDeleteStage(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "stage", "Stage", func(a *httpAPI) map[string]*Stage { return a.stages }, nil)
}

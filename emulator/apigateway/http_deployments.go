package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// Create/Get/Update/DeleteDeployment and GetDeployments on HTTP APIs.

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

func (s *Service) handleGetDeployment(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Deployment", func(a *httpAPI) map[string]*Deployment { return a.deployments })
}

func (s *Service) handleUpdateDeployment(w http.ResponseWriter, r *http.Request) {
	updateChild(s, w, r, "id", "Deployment", func(a *httpAPI) map[string]*Deployment { return a.deployments },
		func(a *httpAPI, d *Deployment, in createDeploymentRequest) {
			if in.Description != nil {
				d.Description = *in.Description
			}
			awserr.WriteJSON(w, http.StatusOK, d)
		})
}

// handleDeleteDeployment refuses to delete a deployment a stage still
// points to, as API Gateway does.
func (s *Service) handleDeleteDeployment(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Deployment", func(a *httpAPI) map[string]*Deployment { return a.deployments },
		func(a *httpAPI, id string) error {
			for _, st := range a.stages {
				if st.DeploymentID == id {
					return badRequest("Active stages pointing to this deployment must be moved or deleted: " + st.StageName)
				}
			}
			return nil
		})
}

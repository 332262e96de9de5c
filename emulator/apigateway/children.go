package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// The Get/Update/Delete operations on an HTTP API's routes, stages and
// deployments that the Create handlers in resources.go and deployments.go
// do not cover.

func (s *Service) handleGetRoute(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Route", func(a *httpAPI) map[string]*Route { return a.routes })
}

func (s *Service) handleUpdateStage(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createStageRequest](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		st, err := child(a.stages, r.PathValue("stage"), "stage")
		if err != nil {
			awserr.Write(w, err)
			return
		}
		if in.StageName != nil && *in.StageName != st.StageName {
			awserr.Write(w, badRequest("a stage cannot be renamed"))
			return
		}
		if id := ptr.Value(in.DeploymentID); id != "" {
			if _, err := child(a.deployments, id, "Deployment"); err != nil {
				awserr.Write(w, err)
				return
			}
			st.DeploymentID = id
		}
		if in.AutoDeploy != nil {
			st.AutoDeploy = *in.AutoDeploy
		}
		if in.Description != nil {
			st.Description = *in.Description
		}
		if in.StageVariables != nil {
			st.StageVariables = in.StageVariables
		}
		st.LastUpdatedDate = now()
		awserr.WriteJSON(w, http.StatusOK, st)
	})
}

func (s *Service) handleGetDeployment(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Deployment", func(a *httpAPI) map[string]*Deployment { return a.deployments })
}

func (s *Service) handleUpdateDeployment(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createDeploymentRequest](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		d, err := child(a.deployments, r.PathValue("id"), "Deployment")
		if err != nil {
			awserr.Write(w, err)
			return
		}
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

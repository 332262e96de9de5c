package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// The Get/Update/Delete operations on an HTTP API's routes, stages and
// deployments that the Create handlers in resources.go and deployments.go
// do not cover.

func notFound(what string) error {
	return awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid "+what+" identifier specified")
}

// getChild answers a Get of one route, integration, deployment or
// authorizer by the {id} in the path.
func getChild[V any](s *Service, w http.ResponseWriter, r *http.Request, what string, children func(a *httpAPI) map[string]V) {
	s.readAPI(w, r, func(a *httpAPI) {
		v, ok := children(a)[r.PathValue("id")]
		if !ok {
			awserr.Write(w, notFound(what))
			return
		}
		awserr.WriteJSON(w, http.StatusOK, v)
	})
}

func (s *Service) handleGetRoute(w http.ResponseWriter, r *http.Request) {
	getChild(s, w, r, "Route", func(a *httpAPI) map[string]*Route { return a.routes })
}

func (s *Service) handleUpdateStage(w http.ResponseWriter, r *http.Request) {
	var in createStageRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		st, ok := a.stages[r.PathValue("stage")]
		if !ok {
			awserr.Write(w, notFound("stage"))
			return
		}
		if in.StageName != nil && *in.StageName != st.StageName {
			awserr.Write(w, badRequest("a stage cannot be renamed"))
			return
		}
		if id := deref(in.DeploymentID); id != "" {
			if _, ok := a.deployments[id]; !ok {
				awserr.Write(w, notFound("Deployment"))
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
	getChild(s, w, r, "Deployment", func(a *httpAPI) map[string]*Deployment { return a.deployments })
}

func (s *Service) handleUpdateDeployment(w http.ResponseWriter, r *http.Request) {
	var in createDeploymentRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		d, ok := a.deployments[r.PathValue("id")]
		if !ok {
			awserr.Write(w, notFound("Deployment"))
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
	s.writeAPI(w, r, func(a *httpAPI) {
		id := r.PathValue("id")
		if _, ok := a.deployments[id]; !ok {
			awserr.Write(w, notFound("Deployment"))
			return
		}
		for _, st := range a.stages {
			if st.DeploymentID == id {
				awserr.Write(w, badRequest("Active stages pointing to this deployment must be moved or deleted: "+st.StageName))
				return
			}
		}
		delete(a.deployments, id)
		w.WriteHeader(http.StatusNoContent)
	})
}

package apigateway

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// Create/Get/Update/DeleteStage and GetStages on HTTP APIs.

func (s *Service) handleCreateStage(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createStageRequest](w, r)
	if !ok {
		return
	}
	name := ptr.Value(in.StageName)
	if name == "" {
		awserr.Write(w, badRequest("stageName is required"))
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		if _, exists := a.stages[name]; exists {
			awserr.Write(w, awserr.New(http.StatusConflict, awserr.Conflict, "Stage already exists"))
			return
		}
		st := &Stage{StageName: name, AutoDeploy: in.AutoDeploy != nil && *in.AutoDeploy, CreatedDate: now(),
			LastUpdatedDate: now(), Description: ptr.Value(in.Description), StageVariables: in.StageVariables}
		if id := ptr.Value(in.DeploymentID); id != "" {
			if _, err := child(a.deployments, id, "Deployment"); err != nil {
				awserr.Write(w, err)
				return
			}
			st.DeploymentID = id
		}
		a.stages[name] = st
		awserr.WriteJSON(w, http.StatusCreated, st)
	})
}

func (s *Service) handleGetStages(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.stages, func(v *Stage) string { return v.StageName })
	})
}

func (s *Service) handleGetStage(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "stage", "stage", func(a *httpAPI) map[string]*Stage { return a.stages })
}

func (s *Service) handleUpdateStage(w http.ResponseWriter, r *http.Request) {
	updateChild(s, w, r, "stage", "stage", func(a *httpAPI) map[string]*Stage { return a.stages },
		func(a *httpAPI, st *Stage, in createStageRequest) {
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

func (s *Service) handleDeleteStage(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "stage", "Stage", func(a *httpAPI) map[string]*Stage { return a.stages }, nil)
}

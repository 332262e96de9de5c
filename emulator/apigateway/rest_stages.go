package apigateway

import (
	"net/http"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// REST APIs' CreateDeployment (which creates or updates its stage) and
// GetStage(s).

func (s *Service) handleCreateRestDeployment(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[createDeploymentRequest](w, r)
	if !ok {
		return
	}
	s.writeRestAPI(w, r, func(a *restAPI) {
		hasMethod := false
		for _, res := range a.resources {
			hasMethod = hasMethod || len(res.ResourceMethods) > 0
		}
		if !hasMethod {
			awserr.Write(w, badRequest("The REST API doesn't contain any methods"))
			return
		}
		now := time.Now().Unix()
		d := &RestDeployment{ID: newID(6), Description: ptr.Value(in.Description), CreatedDate: now}
		a.deployments[d.ID] = d
		if name := ptr.Value(in.StageName); name != "" {
			st, ok := a.stages[name]
			if !ok {
				st = &RestStage{StageName: name, CreatedDate: now}
				a.stages[name] = st
			}
			st.DeploymentID, st.LastUpdatedDate, st.Variables = d.ID, now, in.Variables
		}
		awserr.WriteJSON(w, http.StatusCreated, d)
	})
}

func (s *Service) handleGetRestStages(w http.ResponseWriter, r *http.Request) {
	s.readRestAPI(w, r, func(a *restAPI) {
		writeItems(w, "item", a.stages, func(v *RestStage) string { return v.StageName })
	})
}

func (s *Service) handleGetRestStage(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readRestAPI, "stage", "Stage", func(a *restAPI) map[string]*RestStage { return a.stages })
}

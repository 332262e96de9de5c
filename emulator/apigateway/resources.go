package apigateway

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

func (s *Service) handleCreateIntegration(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[integrationRequest](w, r)
	if !ok {
		return
	}
	integ := &Integration{IntegrationID: newID(7), TimeoutInMillis: maxIntegrationMS, ConnectionType: "INTERNET"}
	if in.IntegrationType == nil {
		awserr.Write(w, badRequest("integrationType is required"))
		return
	}
	if err := applyIntegration(integ, in); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		a.integrations[integ.IntegrationID] = integ
		awserr.WriteJSON(w, http.StatusCreated, integ)
	})
}

func (s *Service) handleGetIntegrations(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.integrations, func(v *Integration) string { return v.IntegrationID })
	})
}

func (s *Service) handleGetIntegration(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations })
}

func (s *Service) handleCreateRoute(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[routeRequest](w, r)
	if !ok {
		return
	}
	key := ptr.Value(in.RouteKey)
	if _, err := parseRouteKey(key); err != nil {
		awserr.Write(w, badRequest(err.Error()))
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		target := ptr.Value(in.Target)
		if target != "" {
			id, ok := strings.CutPrefix(target, "integrations/")
			if _, exists := a.integrations[id]; !ok || !exists {
				awserr.Write(w, badRequest("Invalid target "+target+": it must be integrations/<an existing integration id>"))
				return
			}
		}
		for _, existing := range a.routes {
			if existing.RouteKey == key {
				awserr.Write(w, awserr.New(http.StatusConflict, awserr.Conflict, "Unable to complete operation due to concurrent modification or a route with key '"+key+"' already exists"))
				return
			}
		}
		rt := &Route{RouteID: newID(7), RouteKey: key, Target: target, AuthorizationType: "NONE"}
		applyRouteAuth(rt, in)
		if err := checkRouteAuth(a, rt); err != nil {
			awserr.Write(w, err)
			return
		}
		a.routes[rt.RouteID] = rt
		awserr.WriteJSON(w, http.StatusCreated, rt)
	})
}

func (s *Service) handleUpdateRoute(w http.ResponseWriter, r *http.Request) {
	in, ok := decodeBody[routeRequest](w, r)
	if !ok {
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		cur, err := child(a.routes, r.PathValue("id"), "Route")
		if err != nil {
			awserr.Write(w, err)
			return
		}
		next := *cur
		rt := &next
		if in.RouteKey != nil {
			if _, err := parseRouteKey(*in.RouteKey); err != nil {
				awserr.Write(w, badRequest(err.Error()))
				return
			}
			rt.RouteKey = *in.RouteKey
		}
		if in.Target != nil {
			id, ok := strings.CutPrefix(*in.Target, "integrations/")
			if _, exists := a.integrations[id]; !ok || !exists {
				awserr.Write(w, badRequest("Invalid target "+*in.Target))
				return
			}
			rt.Target = *in.Target
		}
		applyRouteAuth(rt, in)
		if err := checkRouteAuth(a, rt); err != nil {
			awserr.Write(w, err)
			return
		}
		*cur = next
		awserr.WriteJSON(w, http.StatusOK, cur)
	})
}

func (s *Service) handleGetRoutes(w http.ResponseWriter, r *http.Request) {
	s.readAPI(w, r, func(a *httpAPI) {
		writeItems(w, "items", a.routes, func(v *Route) string { return v.RouteKey })
	})
}

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

// functionFromURI extracts the function ARN or name from an integration
// URI: a function ARN, or the arn:aws:apigateway:…:lambda:path/…/functions/<arn>/invocations form.
func functionFromURI(uri string) string {
	if i := strings.Index(uri, "/functions/"); i >= 0 {
		rest := uri[i+len("/functions/"):]
		return strings.TrimSuffix(rest, "/invocations")
	}
	if strings.HasPrefix(uri, "arn:aws:lambda:") {
		return uri
	}
	return ""
}

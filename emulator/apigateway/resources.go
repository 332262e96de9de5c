package apigateway

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

func (s *Service) handleCreateIntegration(w http.ResponseWriter, r *http.Request) {
	var in integrationRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	integ := &Integration{IntegrationID: newID(7), TimeoutInMillis: maxIntegrationMS, ConnectionType: "INTERNET"}
	if in.IntegrationType == nil {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "integrationType is required"))
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
	getChild(s, w, r, "Integration", func(a *httpAPI) map[string]*Integration { return a.integrations })
}

func (s *Service) handleCreateRoute(w http.ResponseWriter, r *http.Request) {
	var in routeRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	key := deref(in.RouteKey)
	if _, err := parseRouteKey(key); err != nil {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, err.Error()))
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		target := deref(in.Target)
		if target != "" {
			id, ok := strings.CutPrefix(target, "integrations/")
			if _, exists := a.integrations[id]; !ok || !exists {
				awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Invalid target "+target+": it must be integrations/<an existing integration id>"))
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
	var in routeRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		cur, ok := a.routes[r.PathValue("id")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Route identifier specified"))
			return
		}
		next := *cur
		rt := &next
		if in.RouteKey != nil {
			if _, err := parseRouteKey(*in.RouteKey); err != nil {
				awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, err.Error()))
				return
			}
			rt.RouteKey = *in.RouteKey
		}
		if in.Target != nil {
			id, ok := strings.CutPrefix(*in.Target, "integrations/")
			if _, exists := a.integrations[id]; !ok || !exists {
				awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "Invalid target "+*in.Target))
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
	var in createStageRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	name := deref(in.StageName)
	if name == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "stageName is required"))
		return
	}
	s.writeAPI(w, r, func(a *httpAPI) {
		if _, exists := a.stages[name]; exists {
			awserr.Write(w, awserr.New(http.StatusConflict, awserr.Conflict, "Stage already exists"))
			return
		}
		st := &Stage{StageName: name, AutoDeploy: in.AutoDeploy != nil && *in.AutoDeploy, CreatedDate: now(),
			LastUpdatedDate: now(), Description: deref(in.Description), StageVariables: in.StageVariables}
		if id := deref(in.DeploymentID); id != "" {
			if _, ok := a.deployments[id]; !ok {
				awserr.Write(w, notFound("Deployment"))
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
	s.readAPI(w, r, func(a *httpAPI) {
		st, ok := a.stages[r.PathValue("stage")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid stage identifier specified"))
			return
		}
		awserr.WriteJSON(w, http.StatusOK, st)
	})
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

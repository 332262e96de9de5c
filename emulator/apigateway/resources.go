package apigateway

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

func (s *Service) handleCreateIntegration(w http.ResponseWriter, r *http.Request) {
	var in createIntegrationRequest
	if err := awserr.DecodeJSON(r, &in, awserr.BadRequest); err != nil {
		awserr.Write(w, err)
		return
	}
	if in.IntegrationType != IntegrationProxy {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest,
			fmt.Sprintf("integrationType %q is not supported by the emulator: use AWS_PROXY with a Lambda function", in.IntegrationType)))
		return
	}
	if functionFromURI(deref(in.IntegrationURI)) == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "integrationUri must be a Lambda function ARN"))
		return
	}
	version := deref(in.PayloadFormatVersion)
	if version == "" {
		version = PayloadV2
	}
	if version != PayloadV1 && version != PayloadV2 {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "payloadFormatVersion must be 1.0 or 2.0"))
		return
	}
	timeout := int32(maxIntegrationMS)
	if in.TimeoutInMillis != nil {
		if *in.TimeoutInMillis < 50 || *in.TimeoutInMillis > maxIntegrationMS {
			awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.BadRequest, "timeoutInMillis must be between 50 and 30000"))
			return
		}
		timeout = *in.TimeoutInMillis
	}
	integ := &Integration{
		IntegrationID: newID(7), IntegrationType: IntegrationProxy, IntegrationURI: *in.IntegrationURI,
		IntegrationMethod: "POST", PayloadFormatVersion: version, TimeoutInMillis: timeout,
		ConnectionType: "INTERNET", Description: deref(in.Description),
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
	s.readAPI(w, r, func(a *httpAPI) {
		integ, ok := a.integrations[r.PathValue("id")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Integration identifier specified"))
			return
		}
		awserr.WriteJSON(w, http.StatusOK, integ)
	})
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
		rt, ok := a.routes[r.PathValue("id")]
		if !ok {
			awserr.Write(w, awserr.New(http.StatusNotFound, awserr.NotFound, "Invalid Route identifier specified"))
			return
		}
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
		awserr.WriteJSON(w, http.StatusOK, rt)
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

package apigateway

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// REST API gateway answers, which differ from HTTP APIs'.
var (
	msgForbidden       = []byte(`{"message":"Forbidden"}`)
	msgMissingToken    = []byte(`{"message":"Missing Authentication Token"}`)
	msgRestInternal    = []byte(`{"message": "Internal server error"}`)
	msgEndpointTimeout = []byte(`{"message": "Endpoint request timed out"}`)
)

// serveREST invokes a REST API: path is "/<stage>/<resource path>". An
// unknown path answers 403 Missing Authentication Token, a failed function
// 502 and a throttled one 500, as REST APIs do.
func (s *Service) serveREST(w http.ResponseWriter, r *http.Request, tr *Trace) int {
	apiID, path, requestID := tr.APIID, tr.Path, tr.RequestID
	s.mu.RLock()
	a, ok := s.rest[apiID]
	if !ok {
		s.mu.RUnlock()
		return writeGateway(w, http.StatusNotFound, msgNotFound)
	}
	api := API{APIID: a.ID, Name: a.Name}
	tr.Kind, tr.APIName = KindREST, a.Name
	stage, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	st, ok := a.stages[stage]
	if !ok {
		s.mu.RUnlock()
		tr.Error = "no such stage"
		return writeGateway(w, http.StatusForbidden, msgForbidden)
	}
	tr.Stage = stage
	stageVars := st.Variables
	// REST APIs match the resource by path first (the most specific one,
	// a greedy {proxy+} last), then the method on it, exact before ANY: a
	// known resource without the method is not passed on to a catch-all.
	routes := map[string]*Route{}
	for _, res := range a.resources {
		routes[res.ID] = &Route{RouteID: res.ID, RouteKey: "ANY " + res.Path}
	}
	routePath := "/" + rest
	route, params := selectRoute(routes, r.Method, routePath)
	var integ *RestIntegration
	var resourcePath string
	if route != nil {
		res := a.resources[route.RouteID]
		resourcePath = res.Path
		m, method := res.ResourceMethods[r.Method], r.Method
		if m == nil {
			m, method = res.ResourceMethods["ANY"], "ANY"
		}
		if m == nil {
			route = nil
		} else {
			route = &Route{RouteID: res.ID, RouteKey: method + " " + res.Path}
			if m.Integration != nil {
				copied := *m.Integration
				integ = &copied
			}
		}
	}
	s.mu.RUnlock()
	if route == nil {
		tr.Error = "no resource and method match"
		return writeGateway(w, http.StatusForbidden, msgMissingToken)
	}
	tr.RouteKey, tr.PathParams = route.RouteKey, params
	if integ == nil {
		tr.Error = "the method has no integration"
		return writeGateway(w, http.StatusInternalServerError, msgRestInternal)
	}
	tr.PayloadVersion, tr.Function = PayloadV1, functionFromURI(integ.URI)
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		return writeGateway(w, http.StatusRequestEntityTooLarge, msgTooLarge)
	}
	ri := requestInfo{r: r, body: body, api: &api, stage: stage, rawPath: routePath, routeKey: route.RouteKey,
		pathParams: params, requestID: requestID, at: time.Now()}
	ev := ri.eventV1(resourcePath)
	ev.StageVariables = nonEmpty(stageVars)
	ev.RequestContext.ResourceID = route.RouteID
	// REST's requestContext.path carries the stage; the top-level path does not.
	ev.RequestContext.Path = "/" + stage + routePath
	payload, err := json.Marshal(ev)
	if err != nil {
		return writeGateway(w, http.StatusInternalServerError, msgRestInternal)
	}
	o := s.invokeFunction(r, tr, integ.URI, payload, time.Duration(integ.TimeoutInMillis)*time.Millisecond)
	switch {
	case o.timedOut:
		return writeGateway(w, http.StatusGatewayTimeout, msgEndpointTimeout)
	case o.err != nil:
		// Lambda refused the invocation (a throttle): REST APIs answer
		// INTEGRATION_FAILURE, 500, where a failed function gives 502.
		return writeGateway(w, http.StatusInternalServerError, msgRestInternal)
	case o.failed:
		return writeGateway(w, http.StatusBadGateway, msgRestInternal)
	}
	return writeV1Response(w, o.payload, msgRestInternal, http.StatusBadGateway)
}

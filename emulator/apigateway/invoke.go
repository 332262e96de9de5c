package apigateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coolroom/testbed/emulator/lambda"
)

// maxRequestBody is API Gateway's payload limit (10 MB).
const maxRequestBody = 10 << 20

// Gateway answers API Gateway sends when it cannot get a response.
var (
	msgNotFound      = []byte(`{"message":"Not Found"}`)
	msgInternalError = []byte(`{"message":"Internal Server Error"}`)
	msgUnavailable   = []byte(`{"message":"Service Unavailable"}`)
	msgTooLarge      = []byte(`{"message":"Request Entity Too Large"}`)
)

// ServeExecuteAPI invokes API apiID with the request; path is the part after
// the API id (a stage name first, unless the API serves it from $default).
func (s *Service) ServeExecuteAPI(w http.ResponseWriter, r *http.Request, apiID, path string) {
	start := time.Now()
	requestID := newRequestID()
	w.Header().Set("Apigw-Requestid", requestID)
	tr := &Trace{RequestID: requestID, Start: start, APIID: apiID, Method: r.Method, Path: path,
		ClientRequestID: clientRequestID(r.Header.Get("X-Request-Id"))}
	status := s.serveExecuteAPI(w, r, tr)
	tr.Status, tr.Total = status, time.Since(start)
	tr.ServerTiming = strings.Join(w.Header().Values("Server-Timing"), ", ")
	s.log.Info("execute-api", "api_id", apiID, "method", r.Method, "path", path, "status", status,
		"duration_ms", tr.Total.Milliseconds(), "request_id", requestID)
	if s.onTrace != nil {
		s.onTrace(tr)
	}
}

func (s *Service) serveExecuteAPI(w http.ResponseWriter, r *http.Request, tr *Trace) int {
	apiID, path, requestID := tr.APIID, tr.Path, tr.RequestID
	s.mu.RLock()
	a, ok := s.apis[apiID]
	if !ok {
		_, isREST := s.rest[apiID]
		s.mu.RUnlock()
		if isREST {
			return s.serveREST(w, r, tr)
		}
		tr.Error = "no API with this id"
		return writeGateway(w, http.StatusNotFound, msgNotFound)
	}
	api := a.API
	tr.Kind, tr.APIName = ProtocolHTTP, api.Name
	stage, routePath, found := resolveStage(a, path)
	if !found {
		s.mu.RUnlock()
		tr.Error = "no such stage and no $default stage"
		return writeGateway(w, http.StatusNotFound, msgNotFound)
	}
	tr.Stage = stage
	if cors := api.CorsConfiguration; cors != nil {
		if isPreflight(r) {
			s.mu.RUnlock()
			return cors.answerPreflight(w, r)
		}
		w = &corsWriter{ResponseWriter: w, cors: cors, origin: r.Header.Get("Origin")}
	}
	route, params := selectRoute(a.routes, r.Method, routePath)
	var stageVars map[string]string
	if st := a.stages[stage]; st != nil {
		stageVars = st.StageVariables
	}
	var integ Integration
	var au *Authorizer
	if route != nil {
		rt := *route // a copy: UpdateRoute may change the stored one once unlocked
		if i, ok := a.integrations[strings.TrimPrefix(rt.Target, "integrations/")]; ok {
			integ = *i
			route = &rt
		} else {
			route = nil
		}
		if x := a.authorizers[rt.AuthorizerID]; x != nil && (rt.AuthorizationType == authJWT || rt.AuthorizationType == authCustom) {
			c := *x
			au = &c
		}
	}
	region := a.region
	s.mu.RUnlock()
	if route == nil {
		tr.Error = "no route matches"
		return writeGateway(w, http.StatusNotFound, msgNotFound)
	}
	tr.RouteKey, tr.PayloadVersion, tr.Function = route.RouteKey, integ.PayloadFormatVersion, functionFromURI(integ.IntegrationURI)
	if len(params) > 0 {
		tr.PathParams = params
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return writeGateway(w, http.StatusBadRequest, []byte(`{"message":"Bad Request"}`))
	}
	if len(body) > maxRequestBody {
		tr.Error = "request body over 10 MB"
		return writeGateway(w, http.StatusRequestEntityTooLarge, msgTooLarge)
	}
	rawPath := r.URL.EscapedPath()
	if i := strings.Index(rawPath, "/"+apiID+"/"); i >= 0 && strings.HasPrefix(rawPath, ExecuteAPIPath) {
		rawPath = rawPath[i+len(apiID)+1:]
	}
	if stage == DefaultStage {
		rawPath = routePath
	}
	src := mappingSource{r: r, routePath: routePath, pathParams: params, stageVars: stageVars,
		context: map[string]string{"requestId": requestID, "apiId": apiID, "stage": stage, "routeKey": route.RouteKey,
			"httpMethod": r.Method, "domainName": r.Host, "path": rawPath}}
	var auth authorization
	if au != nil {
		ri := requestInfo{r: r, body: body, api: &api, stage: stage, rawPath: rawPath, routeKey: route.RouteKey,
			pathParams: params, requestID: requestID, at: time.Now()}
		var status int
		var ok bool
		if auth, status, ok = s.authorize(w, r, tr, *route, *au, ri, src, region); !ok {
			return status
		}
		for k, v := range auth.vars {
			src.context[k] = v
		}
	}
	req := mapRequest(integ.RequestParameters, src)
	if integ.IntegrationType == IntegrationHTTP {
		return s.proxyHTTP(w, r, tr, integ, req, body)
	}
	if len(integ.RequestParameters) > 0 {
		r = req.mappedRequest(r)
		if req.pathOverride != "" {
			rawPath = req.pathOverride
		}
	}
	ri := requestInfo{r: r, body: body, api: &api, stage: stage, rawPath: rawPath, routeKey: route.RouteKey,
		pathParams: params, requestID: requestID, at: time.Now()}

	var event any
	if integ.PayloadFormatVersion == PayloadV1 {
		ev := ri.eventV1(resourceOf(route.RouteKey))
		ev.RequestContext.ResourceID = route.RouteID
		if d := auth.desc; d != nil {
			if d.JWT != nil {
				ev.RequestContext.Authorizer = map[string]any{"claims": d.JWT.Claims, "scopes": d.JWT.Scopes}
			} else {
				ev.RequestContext.Authorizer = map[string]any{"lambda": d.Lambda}
			}
		}
		event = struct {
			Version string `json:"version"`
			events.APIGatewayProxyRequest
		}{PayloadV1, ev}
	} else {
		ev := ri.eventV2()
		ev.RequestContext.Authorizer = auth.desc
		event = ev
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	return s.invokeIntegration(w, r, tr, integ, payload)
}

// resolveStage splits the path after the API id into stage and route path:
// a named stage comes first; otherwise the $default stage serves the path.
func resolveStage(a *httpAPI, path string) (stage, routePath string, ok bool) {
	trimmed := strings.TrimPrefix(path, "/")
	first, rest, _ := strings.Cut(trimmed, "/")
	if first != "" && first != DefaultStage {
		if _, named := a.stages[first]; named {
			return first, "/" + rest, true
		}
	}
	if first == DefaultStage {
		return DefaultStage, "/" + rest, a.stages[DefaultStage] != nil
	}
	if _, def := a.stages[DefaultStage]; def {
		return DefaultStage, "/" + trimmed, true
	}
	return "", "", false
}

func resourceOf(routeKey string) string {
	if _, path, ok := strings.Cut(routeKey, " "); ok {
		return path
	}
	return "/{proxy+}"
}

// outcome is what came back from a Lambda proxy integration.
type outcome struct {
	res      *lambda.Result // nil unless the function ran and answered in time
	payload  []byte
	failed   bool // the function failed (crash, error, timeout inside Lambda)
	timedOut bool // the integration timeout passed first
	err      error
}

// invokeFunction calls the function under the integration timeout. The
// invocation runs to its end even if the client or the timeout gives up,
// as on AWS. It records the hop timings and the invocation in tr.
func (s *Service) invokeFunction(r *http.Request, tr *Trace, uri string, payload []byte, timeout time.Duration) outcome {
	called := time.Now()
	tr.Routing = called.Sub(tr.Start)
	// The gateway's request id travels with the call, so the invocation
	// record names the request that caused it even if the gateway gives up.
	// A running invocation runs to its end even then, as on AWS; the
	// deadline only ends a wait for an instance (the emulator's process
	// cap), which no caller would see on AWS.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), timeout)
	ctx = lambda.WithCallerRequestID(ctx, tr.RequestID)
	done := make(chan outcome, 1)
	go func() {
		defer cancel()
		res, err := s.invoker.Invoke(ctx, functionFromURI(uri), payload)
		if err != nil {
			done <- outcome{err: err}
			return
		}
		done <- outcome{res: res, payload: res.Payload, failed: res.FunctionError != ""}
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var o outcome
	select {
	case <-timer.C:
		o = outcome{timedOut: true}
		tr.Error = "integration timed out after " + timeout.String()
	case o = <-done:
		if o.err != nil {
			s.log.Warn("execute-api: lambda invoke failed", "uri", uri, "err", o.err)
			tr.Error = "invoke failed: " + o.err.Error()
		} else if o.failed {
			tr.Error = "function error: " + o.res.ErrorType
		}
	}
	tr.Lambda = o.res
	tr.Integration = time.Since(called)
	return o
}

// invokeIntegration calls an HTTP API integration and maps the answer the
// way HTTP APIs do: Lambda refusing the call (a throttle) and the
// function failing both give 500 {"message":"Internal Server Error"}.
func (s *Service) invokeIntegration(w http.ResponseWriter, r *http.Request, tr *Trace, integ Integration, payload []byte) int {
	o := s.invokeFunction(r, tr, integ.IntegrationURI, payload, time.Duration(integ.TimeoutInMillis)*time.Millisecond)
	switch {
	case o.timedOut:
		return writeGateway(w, http.StatusServiceUnavailable, msgUnavailable)
	case o.err != nil, o.failed:
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	case integ.PayloadFormatVersion == PayloadV1:
		return writeV1Response(w, o.payload, msgInternalError, http.StatusInternalServerError)
	}
	return writeV2Response(w, o.payload)
}

// writeV2Response maps a payload 2.0 function answer to HTTP. A JSON
// object with statusCode is a structured response; any other valid JSON is
// sent as a 200 application/json body.
func writeV2Response(w http.ResponseWriter, payload []byte) int {
	if !json.Valid(payload) {
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(payload, &probe) != nil || probe["statusCode"] == nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(payload)
		return http.StatusOK
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(payload, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		w.Header().Add("Set-Cookie", c)
	}
	return writeBody(w, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
}

// writeV1Response maps a payload 1.0 answer, which must be structured;
// a malformed one gets the gateway's error (500 for HTTP APIs, 502 for REST).
func writeV1Response(w http.ResponseWriter, payload []byte, malformed []byte, malformedStatus int) int {
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(payload, &resp); err != nil || resp.StatusCode < 100 || resp.StatusCode > 599 {
		return writeGateway(w, malformedStatus, malformed)
	}
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		w.Header().Del(k)
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	return writeBody(w, resp.StatusCode, resp.Body, resp.IsBase64Encoded)
}

func writeBody(w http.ResponseWriter, status int, body string, b64 bool) int {
	data := []byte(body)
	if b64 {
		decoded, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return writeGateway(w, http.StatusInternalServerError, msgInternalError)
		}
		data = decoded
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	_, _ = w.Write(data)
	return status
}

func writeGateway(w http.ResponseWriter, status int, body []byte) int {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
	return status
}

func newRequestID() string {
	// API Gateway request ids look like "AbCdEfGhIjKlMnO=".
	return strings.ToUpper(newID(4)) + newID(10) + "="
}

// clientRequestID keeps a caller's X-Request-Id if it looks like an id:
// at most 128 printable ASCII characters.
func clientRequestID(v string) string {
	if len(v) > 128 {
		return ""
	}
	for i := 0; i < len(v); i++ {
		if v[i] <= ' ' || v[i] > '~' {
			return ""
		}
	}
	return v
}

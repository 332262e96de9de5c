package apigateway

import (
	"time"

	"github.com/coolroom/testbed/emulator/lambda"
)

// KindREST marks a Trace of a REST (v1) API; HTTP APIs use ProtocolHTTP.
const KindREST = "REST"

// Trace is one execute-api request as it crossed the hops: the gateway
// (route match, event built), the Lambda integration, the response. The
// gateway fills it as the request goes and hands it to Options.OnTrace at
// the end; filling it costs a few time.Now calls, nothing is formatted.
type Trace struct {
	// RequestID is the gateway's request id: the apigw-requestid response
	// header and requestContext.requestId in the Lambda event.
	RequestID string
	// ClientRequestID is the caller's own request id, from its X-Request-Id
	// header (the web app sends the id of the page it is serving), so the
	// console can group one page view's calls; empty when none was sent.
	ClientRequestID string
	// ServerTiming is the Server-Timing header of the answer (the data
	// service reports its handler and PostgreSQL time in it).
	ServerTiming string
	Start        time.Time
	APIID        string
	APIName      string
	// Kind is ProtocolHTTP or KindREST; empty when the API was unknown.
	Kind string
	// Method and Path are as received; Path is the part after the API id.
	Method string
	Path   string
	Stage  string
	// RouteKey is the matched route ("GET /rooms/{id}", "$default"), or for
	// REST APIs the method and resource path.
	RouteKey string
	// PathParams are the path parameters the route matched ({id} → "12",
	// {proxy+} → the rest of the path); nil when it has none.
	PathParams     map[string]string
	PayloadVersion string
	// Function is the integration's function ARN (or name).
	Function string
	// Lambda is the invocation's outcome; nil when no function answered
	// in time. Observers must not keep Lambda.Payload.
	Lambda *lambda.Result
	Status int
	// Error says why the gateway answered on its own (no route, timeout, …).
	Error string
	// Routing is the time from arrival to the integration call (stage and
	// route match, body read, event built); Integration is the call as the
	// gateway saw it, Lambda included; Total is arrival to response written.
	Routing     time.Duration
	Integration time.Duration
	Total       time.Duration
}

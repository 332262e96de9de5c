package apigateway

import (
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/coolroom/testbed/emulator/internal/defaults"
)

// requestInfo is what both payload formats are built from.
type requestInfo struct {
	r          *http.Request
	body       []byte
	api        *API
	stage      string
	rawPath    string // as the client sent it, stage prefix included for named stages
	routeKey   string
	pathParams map[string]string
	requestID  string
	at         time.Time
}

// isTextContent says whether API Gateway passes a body as text; other
// bodies are base64-encoded with isBase64Encoded set.
func isTextContent(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") {
		return true
	}
	switch mt {
	case "application/json", "application/xml", "application/javascript", "application/x-www-form-urlencoded",
		"application/graphql", "application/x-yaml", "application/yaml":
		return true
	}
	return strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
}

// encodedBody is the event's body and whether it is base64-encoded. A
// text body that is not valid UTF-8 is base64-encoded too: the event is
// JSON, whose strings cannot hold those bytes, and encoding them as text
// would silently turn them into U+FFFD before the function sees them.
func (ri requestInfo) encodedBody() (string, bool) {
	if len(ri.body) == 0 {
		return "", false
	}
	if isTextContent(ri.r.Header.Get("Content-Type")) && utf8.Valid(ri.body) {
		return string(ri.body), false
	}
	return base64.StdEncoding.EncodeToString(ri.body), true
}

func (ri requestInfo) sourceIP() string {
	host, _, err := net.SplitHostPort(ri.r.RemoteAddr)
	if err != nil {
		return ri.r.RemoteAddr
	}
	return host
}

// forwardedHeaders adds the headers API Gateway sets on every request.
func (ri requestInfo) forwardedHeaders(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	out.Set("Host", ri.r.Host)
	out.Set("X-Forwarded-For", ri.sourceIP())
	out.Set("X-Forwarded-Proto", "http")
	if _, port, err := net.SplitHostPort(ri.r.Host); err == nil {
		out.Set("X-Forwarded-Port", port)
	}
	if len(ri.body) > 0 {
		out.Set("Content-Length", strconv.Itoa(len(ri.body)))
	}
	return out
}

// eventV2 builds the payload format 2.0 event exactly as HTTP APIs do:
// lower-case header names, duplicate headers and query values joined with
// commas, cookies split out of the Cookie header.
func (ri requestInfo) eventV2() events.APIGatewayV2HTTPRequest {
	r := ri.r
	headers := map[string]string{}
	var cookies []string
	for name, values := range ri.forwardedHeaders(r.Header) {
		lower := strings.ToLower(name)
		if lower == "cookie" {
			for _, v := range values {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lower] = strings.Join(values, ",")
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, vs := range q {
			query[k] = strings.Join(vs, ",")
		}
	}
	body, b64 := ri.encodedBody()
	return events.APIGatewayV2HTTPRequest{
		Version:               PayloadV2,
		RouteKey:              ri.routeKey,
		RawPath:               ri.rawPath,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        nonEmpty(ri.pathParams),
		Body:                  body,
		IsBase64Encoded:       b64,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     ri.routeKey,
			AccountID:    defaults.AccountID,
			Stage:        ri.stage,
			RequestID:    ri.requestID,
			APIID:        ri.api.APIID,
			DomainName:   hostOnly(r.Host),
			DomainPrefix: ri.api.APIID,
			Time:         ri.at.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    ri.at.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      ri.rawPath,
				Protocol:  r.Proto,
				SourceIP:  ri.sourceIP(),
				UserAgent: r.UserAgent(),
			},
		},
	}
}

// eventV1 builds payload format 1.0 (the REST API proxy shape, with
// version "1.0"), with single- and multi-value headers and query strings.
func (ri requestInfo) eventV1(resourcePath string) events.APIGatewayProxyRequest {
	r := ri.r
	headers, multiHeaders := map[string]string{}, map[string][]string{}
	for name, values := range ri.forwardedHeaders(r.Header) {
		headers[name] = values[len(values)-1]
		multiHeaders[name] = values
	}
	var query map[string]string
	var multiQuery map[string][]string
	if q := r.URL.Query(); len(q) > 0 {
		query, multiQuery = map[string]string{}, map[string][]string{}
		for k, vs := range q {
			query[k] = vs[len(vs)-1]
			multiQuery[k] = vs
		}
	}
	body, b64 := ri.encodedBody()
	return events.APIGatewayProxyRequest{
		Resource:                        resourcePath,
		Path:                            ri.rawPath,
		HTTPMethod:                      r.Method,
		Headers:                         headers,
		MultiValueHeaders:               multiHeaders,
		QueryStringParameters:           query,
		MultiValueQueryStringParameters: multiQuery,
		PathParameters:                  nonEmpty(ri.pathParams),
		Body:                            body,
		IsBase64Encoded:                 b64,
		RequestContext: events.APIGatewayProxyRequestContext{
			AccountID:        defaults.AccountID,
			ResourcePath:     resourcePath,
			Stage:            ri.stage,
			RequestID:        ri.requestID,
			APIID:            ri.api.APIID,
			DomainName:       hostOnly(r.Host),
			DomainPrefix:     ri.api.APIID,
			HTTPMethod:       r.Method,
			Path:             ri.rawPath,
			Protocol:         r.Proto,
			RequestTime:      ri.at.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			RequestTimeEpoch: ri.at.UnixMilli(),
			Identity:         events.APIGatewayRequestIdentity{SourceIP: ri.sourceIP(), UserAgent: r.UserAgent()},
		},
	}
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return hostport
}

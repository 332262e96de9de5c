package apigateway

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// Parameter mapping on HTTP API integrations (requestParameters): keys
// "append:header.<name>", "overwrite:header.<name>", "remove:header.<name>",
// the same for "querystring.<name>", and "overwrite:path"; values are static
// text mixed with $request.header.<name>, $request.querystring.<name>,
// $request.path, $request.path.<name>, $context.<name> and
// $stageVariables.<name> (also written ${…}). API Gateway applies them to
// the request before it reaches the integration.

// outgoing is the request as the integration will see it.
type outgoing struct {
	header       http.Header
	rawQuery     string
	pathParams   map[string]string
	pathOverride string // set by overwrite:path
}

// reservedHeaders cannot be mapped, as API Gateway documents.
var reservedHeaders = map[string]bool{"authorization": true, "connection": true, "content-encoding": true,
	"content-length": true, "content-location": true, "forwarded": true, "keep-alive": true, "origin": true,
	"proxy-authenticate": true, "proxy-authorization": true, "te": true, "trailers": true, "transfer-encoding": true,
	"upgrade": true, "x-forwarded-for": true, "x-forwarded-host": true, "x-forwarded-proto": true, "via": true, "host": true}

func reservedHeader(name string) bool {
	n := strings.ToLower(name)
	return reservedHeaders[n] || strings.HasPrefix(n, "x-amz-") || strings.HasPrefix(n, "x-amzn-") ||
		strings.HasPrefix(n, "apigw-") || strings.HasPrefix(n, "access-control-")
}

// mappingKey splits "overwrite:header.x-id" into its action, location and name.
func mappingKey(key string) (action, location, name string, err error) {
	action, target, ok := strings.Cut(key, ":")
	if !ok || (action != "append" && action != "overwrite" && action != "remove") {
		return "", "", "", badRequest("Invalid mapping key " + key + ": it must start with append:, overwrite: or remove:")
	}
	if target == "path" {
		if action != "overwrite" {
			return "", "", "", badRequest("Invalid mapping key " + key + ": the path can only be overwritten")
		}
		return action, "path", "", nil
	}
	location, name, ok = strings.Cut(target, ".")
	if !ok || name == "" || (location != "header" && location != "querystring") {
		return "", "", "", badRequest("Invalid mapping key " + key + ": use header.<name>, querystring.<name> or path")
	}
	if location == "header" && reservedHeader(name) {
		return "", "", "", badRequest("Invalid mapping key " + key + ": " + name + " is a reserved header")
	}
	return action, location, name, nil
}

func validateRequestParameters(integ *Integration) error {
	for k := range integ.RequestParameters {
		if _, _, _, err := mappingKey(k); err != nil {
			return err
		}
	}
	return nil
}

// mappingVar matches $request.…, $context.…, $stageVariables.… and their ${…} forms.
// It is compiled on first use, not at start (idle memory is a target).
var mappingVar = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\$\{([^}]+)\}|\$((?:request\.(?:header|querystring|path)\.[A-Za-z0-9_.~-]+)|request\.path|(?:context|stageVariables)\.[A-Za-z0-9_.]+)`)
})

// mappingSource resolves the variables in mapping values from the client's request.
type mappingSource struct {
	r          *http.Request
	routePath  string
	pathParams map[string]string
	context    map[string]string
	stageVars  map[string]string
}

func (src mappingSource) resolve(name string) string {
	switch {
	case strings.HasPrefix(name, "request.header."):
		return strings.Join(src.r.Header.Values(strings.TrimPrefix(name, "request.header.")), ",")
	case strings.HasPrefix(name, "request.querystring."):
		return strings.Join(src.r.URL.Query()[strings.TrimPrefix(name, "request.querystring.")], ",")
	case name == "request.path":
		return src.routePath
	case strings.HasPrefix(name, "request.path."):
		return src.pathParams[strings.TrimPrefix(name, "request.path.")]
	case strings.HasPrefix(name, "context."):
		return src.context[strings.TrimPrefix(name, "context.")]
	case strings.HasPrefix(name, "stageVariables."):
		return src.stageVars[strings.TrimPrefix(name, "stageVariables.")]
	}
	return ""
}

func (src mappingSource) expand(value string) string {
	re := mappingVar()
	return re.ReplaceAllStringFunc(value, func(m string) string {
		sub := re.FindStringSubmatch(m)
		if sub[1] != "" {
			return src.resolve(sub[1])
		}
		return src.resolve(sub[2])
	})
}

// mapRequest applies an integration's requestParameters to the client's
// request. Keys were validated when the integration was saved.
func mapRequest(params map[string]string, src mappingSource) outgoing {
	out := outgoing{header: src.r.Header.Clone(), rawQuery: src.r.URL.RawQuery, pathParams: src.pathParams}
	if len(params) == 0 {
		return out
	}
	query := src.r.URL.Query()
	queryChanged := false
	for key, value := range params {
		action, location, name, err := mappingKey(key)
		if err != nil {
			continue
		}
		v := src.expand(value)
		switch location + ":" + action {
		case "path:overwrite":
			out.pathOverride = "/" + strings.TrimPrefix(v, "/")
		case "header:append":
			out.header.Add(name, v)
		case "header:overwrite":
			out.header.Set(name, v)
		case "header:remove":
			out.header.Del(name)
		case "querystring:append":
			query.Add(name, v)
			queryChanged = true
		case "querystring:overwrite":
			query.Set(name, v)
			queryChanged = true
		case "querystring:remove":
			query.Del(name)
			queryChanged = true
		}
	}
	if queryChanged {
		out.rawQuery = query.Encode()
	}
	return out
}

// mappedRequest is a copy of r carrying the mapped headers, query and
// path, from which a Lambda event is built.
func (o outgoing) mappedRequest(r *http.Request) *http.Request {
	r2 := r.Clone(r.Context())
	r2.Header = o.header
	u := *r.URL
	u.RawQuery = o.rawQuery
	if o.pathOverride != "" {
		u.Path, u.RawPath = o.pathOverride, ""
	}
	r2.URL = &u
	return r2
}

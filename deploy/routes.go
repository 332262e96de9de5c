package deploy

import "strings"

// DataAPIRoutes are the data API's endpoints as API Gateway route keys, one
// per method and path of the contract (lambda/README.md, router in
// lambda/router/handler.go). Every route has the same Lambda integration:
// the function still routes by path itself, but API Gateway now knows the
// endpoints, so its traces, logs and metrics name the route ("GET
// /rooms/{id}") and the path parameters it matched. Anything else (an
// unknown path, another method on a known path) reaches $default, which
// goes to the same function, so the answer is still the contract's JSON 404
// or 405. routes_test.go checks this list against the router.
var DataAPIRoutes = []string{
	"GET /health",
	"POST /users",
	"GET /users/{id}",
	"PATCH /users/{id}",
	"POST /sessions",
	"DELETE /sessions/current",
	"GET /rooms",
	"POST /rooms",
	"GET /rooms/{id}",
	"PATCH /rooms/{id}",
	"DELETE /rooms/{id}",
	"GET /rooms/{id}/messages",
	"POST /rooms/{id}/messages",
	"GET /messages",
	"GET /messages/{id}",
	"DELETE /messages/{id}",
	"GET /topics",
	"GET /home",
}

// DefaultRoute catches the requests no route matches (HTTP APIs).
const DefaultRoute = "$default"

// httpRouteKeys are the HTTP API's routes: the endpoints and $default.
func httpRouteKeys() []string {
	return append(append([]string(nil), DataAPIRoutes...), DefaultRoute)
}

// restMethods groups DataAPIRoutes by resource path for a REST API, plus
// the catch-alls that stand in for $default there: ANY on the root and on
// /{proxy+} (a greedy resource loses to every explicit one).
func restMethods() map[string][]string {
	m := map[string][]string{"/": {"ANY"}, "/{proxy+}": {"ANY"}}
	for _, key := range DataAPIRoutes {
		method, path, _ := strings.Cut(key, " ")
		m[path] = append(m[path], method)
	}
	return m
}

package apigateway

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// Create/Get/Update/DeleteRoute and GetRoutes on HTTP APIs, with the
// checks of a route's authorization settings.

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
	updateChild(s, w, r, "id", "Route", func(a *httpAPI) map[string]*Route { return a.routes },
		func(a *httpAPI, cur *Route, in routeRequest) {
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

func (s *Service) handleGetRoute(w http.ResponseWriter, r *http.Request) {
	getChild(w, r, s.readAPI, "id", "Route", func(a *httpAPI) map[string]*Route { return a.routes })
}

func (s *Service) handleDeleteRoute(w http.ResponseWriter, r *http.Request) {
	deleteChild(s, w, r, "id", "Route", func(a *httpAPI) map[string]*Route { return a.routes }, nil)
}

// checkRouteAuth checks a route's authorization settings against the API's
// authorizers: JWT routes need a JWT authorizer, CUSTOM routes a REQUEST one.
func checkRouteAuth(a *httpAPI, rt *Route) error {
	switch rt.AuthorizationType {
	case "", authNone, authIAM:
		if rt.AuthorizationType == "" {
			rt.AuthorizationType = authNone
		}
		if rt.AuthorizerID != "" {
			return badRequest("authorizerId needs authorizationType JWT or CUSTOM")
		}
		return nil
	case authJWT, authCustom:
	default:
		return badRequest("authorizationType must be NONE, JWT, CUSTOM or AWS_IAM")
	}
	au, ok := a.authorizers[rt.AuthorizerID]
	if !ok {
		return badRequest("Invalid authorizer id " + rt.AuthorizerID + " for authorizationType " + rt.AuthorizationType)
	}
	if (rt.AuthorizationType == authJWT) != (au.AuthorizerType == AuthorizerJWT) {
		return badRequest("authorizationType " + rt.AuthorizationType + " does not fit a " + au.AuthorizerType + " authorizer")
	}
	if rt.AuthorizationType == authCustom && len(rt.AuthorizationScopes) > 0 {
		return badRequest("authorizationScopes apply to JWT authorizers only")
	}
	return nil
}

// applyRouteAuth sets the authorization fields present in a route body.
func applyRouteAuth(rt *Route, in routeRequest) {
	if in.AuthorizationType != nil {
		rt.AuthorizationType = *in.AuthorizationType
		if *in.AuthorizationType == authNone || *in.AuthorizationType == authIAM {
			rt.AuthorizerID, rt.AuthorizationScopes = "", nil
		}
	}
	if in.AuthorizerID != nil {
		rt.AuthorizerID = *in.AuthorizerID
	}
	if in.AuthorizationScopes != nil {
		rt.AuthorizationScopes = in.AuthorizationScopes
	}
}

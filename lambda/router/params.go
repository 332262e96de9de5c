package router

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// pathID returns the {id} of the route. The route pattern admits digits
// only; a number too large for int64 cannot name anything, so it is the
// same 404 as an unknown id.
func pathID(r *http.Request, kind string) (int64, error) {
	v := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, service.Errorf(contract.CodeNotFound, "%s %s not found", kind, v)
	}
	return id, nil
}

// queryInt reads an optional integer query parameter between lo and
// 9223372036854775807 (def when absent or empty); anything else is
// bad_request naming the parameter.
func queryInt(r *http.Request, name string, def, lo int64, rule string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo {
		return 0, &contract.Error{Code: contract.CodeBadRequest, Message: name + " " + rule,
			Fields: map[string]string{name: rule}}
	}
	return n, nil
}

// queryPage reads ?page=, 1-based. The service enforces the upper bound.
func queryPage(r *http.Request) (int, error) {
	n, err := queryInt(r, "page", 1, 1, "must be a positive integer")
	if err != nil {
		return 0, err
	}
	if n > service.MaxPage {
		n = service.MaxPage + 1 // let the service word the error
	}
	return int(n), nil
}

// clientAddr is the caller's network address for the per-client login
// limit: API Gateway's sourceIp, which the adapter puts in RemoteAddr
// (plain HTTP servers, as in tests, put "ip:port" there). An IPv6
// address is reduced to its /64, the block one subscriber usually has,
// so a client cannot take a fresh address per guess. "" when unknown.
func clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	if a = a.Unmap(); a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// bearerToken returns the token of an Authorization: Bearer header, "" if
// there is no header, and an error for any other scheme or shape.
func bearerToken(r *http.Request) (string, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", nil
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", service.Unauthorized(`the Authorization header must be "Bearer <token>"`)
	}
	return strings.TrimSpace(token), nil
}

// session returns the session of the request's bearer token, the zero
// Session when there is none. A token that is present but malformed,
// forged, expired or of an ended session is always an error: a client
// that believes it is logged in should learn that it is not.
func (a *api) session(r *http.Request) (service.Session, error) {
	token, err := bearerToken(r)
	if err != nil || token == "" {
		return service.Session{}, err
	}
	return a.svc.Authenticate(r.Context(), token)
}

// caller returns the user id of the request's session, 0 when there is
// no token (errors as for session).
func (a *api) caller(r *http.Request) (int64, error) {
	s, err := a.session(r)
	return s.UserID, err
}

// listingParams reads a listing's ?page= and the user id it is filtered
// by, ?host= or ?user= (idKey; 0 when absent).
func listingParams(r *http.Request, idKey string) (page int, id int64, err error) {
	if page, err = queryPage(r); err != nil {
		return 0, 0, err
	}
	if id, err = queryInt(r, idKey, 0, 1, "must be a positive integer"); err != nil {
		return 0, 0, err
	}
	return page, id, nil
}

package router

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/lambda/contract"
)

// register: POST /users.
func (a *api) register(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in contract.NewUser
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	res, err := a.svc.Register(r.Context(), in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", "/users/"+strconv.FormatInt(res.User.ID, 10))
	return http.StatusCreated, res, nil
}

// login: POST /sessions.
func (a *api) login(w http.ResponseWriter, r *http.Request) (int, any, error) {
	var in contract.Credentials
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	res, err := a.svc.Login(r.Context(), in, clientAddr(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, res, nil
}

// getUser: GET /users/{id}; the email only for the user themselves.
func (a *api) getUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r, "user")
	if err != nil {
		return 0, nil, err
	}
	caller, err := a.caller(r)
	if err != nil {
		return 0, nil, err
	}
	u, err := a.svc.GetUser(r.Context(), caller, id)
	return http.StatusOK, u, err
}

// updateUser: PATCH /users/{id}, self only.
func (a *api) updateUser(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r, "user")
	if err != nil {
		return 0, nil, err
	}
	caller, err := a.session(r)
	if err != nil {
		return 0, nil, err
	}
	var in contract.UserUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	u, err := a.svc.UpdateUser(r.Context(), caller, id, in)
	return http.StatusOK, u, err
}

// logout: DELETE /sessions/current ends the session of the presented
// token; that token (and every copy of it) is refused from then on.
func (a *api) logout(w http.ResponseWriter, r *http.Request) (int, any, error) {
	caller, err := a.session(r)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, a.svc.Logout(r.Context(), caller)
}

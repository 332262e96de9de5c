package router

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// listRooms: GET /rooms?q=&topic=&page=&host=.
func (a *api) listRooms(w http.ResponseWriter, r *http.Request) (int, any, error) {
	page, host, err := listingParams(r, "host")
	if err != nil {
		return 0, nil, err
	}
	res, err := a.svc.ListRooms(r.Context(), service.RoomQuery{Q: r.URL.Query().Get("q"), Topic: r.URL.Query().Get("topic"), Page: page, HostID: host})
	return http.StatusOK, res, err
}

// home: GET /home?q=&topic=&page=, the home page's rooms, topics and
// activity in one answer.
func (a *api) home(w http.ResponseWriter, r *http.Request) (int, any, error) {
	page, err := queryPage(r)
	if err != nil {
		return 0, nil, err
	}
	res, err := a.svc.Home(r.Context(), service.RoomQuery{Q: r.URL.Query().Get("q"), Topic: r.URL.Query().Get("topic"), Page: page})
	return http.StatusOK, res, err
}

// createRoom: POST /rooms, hosted by the caller.
func (a *api) createRoom(w http.ResponseWriter, r *http.Request) (int, any, error) {
	// Authentication first: a stranger's body is not worth reading.
	caller, err := a.caller(r)
	if err != nil {
		return 0, nil, err
	}
	if caller == 0 {
		return 0, nil, service.Unauthorized("creating a room needs a bearer token; log in first")
	}
	var in contract.NewRoom
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	room, err := a.svc.CreateRoom(r.Context(), caller, in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", "/rooms/"+strconv.FormatInt(room.ID, 10))
	return http.StatusCreated, room, nil
}

// getRoom: GET /rooms/{id}?before=, with the newest page of messages
// (before message id before, when given).
func (a *api) getRoom(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r, "room")
	if err != nil {
		return 0, nil, err
	}
	before, err := queryBefore(r)
	if err != nil {
		return 0, nil, err
	}
	d, err := a.svc.GetRoom(r.Context(), id, before)
	return http.StatusOK, d, err
}

// updateRoom: PATCH /rooms/{id}, host only.
func (a *api) updateRoom(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, caller, err := a.idAndCaller(r, "room")
	if err != nil {
		return 0, nil, err
	}
	var in contract.RoomUpdate
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	room, err := a.svc.UpdateRoom(r.Context(), caller, id, in)
	return http.StatusOK, room, err
}

// deleteRoom: DELETE /rooms/{id}, host only.
func (a *api) deleteRoom(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, caller, err := a.idAndCaller(r, "room")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, a.svc.DeleteRoom(r.Context(), caller, id)
}

// listTopics: GET /topics?q=.
func (a *api) listTopics(w http.ResponseWriter, r *http.Request) (int, any, error) {
	res, err := a.svc.ListTopics(r.Context(), r.URL.Query().Get("q"))
	return http.StatusOK, res, err
}

// idAndCaller returns the path id and the caller of a mutation; an
// anonymous caller is unauthorized.
func (a *api) idAndCaller(r *http.Request, kind string) (id, caller int64, err error) {
	if id, err = pathID(r, kind); err != nil {
		return 0, 0, err
	}
	if caller, err = a.caller(r); err != nil {
		return 0, 0, err
	}
	if caller == 0 {
		return 0, 0, service.Unauthorized("this request needs a bearer token; log in first")
	}
	return id, caller, nil
}

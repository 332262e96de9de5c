package app

import (
	"net/http"

	"github.com/coolroom/testbed/app/dataapi"
)

// apiRoutes is what GET /api/ lists, as the seed's REST API index did.
var apiRoutes = []string{"GET /api/", "GET /api/rooms?q=&page=", "GET /api/rooms/{id}?before="}

// handleAPIIndex lists the app's JSON routes.
func (a *App) handleAPIIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"routes": apiRoutes})
}

// handleAPIRooms returns one page of rooms as JSON (search with ?q=).
func (a *App) handleAPIRooms(w http.ResponseWriter, r *http.Request) {
	rooms, err := a.data.ListRooms(r.Context(), dataapi.RoomQuery{Q: r.URL.Query().Get("q"), Page: pageParam(r)})
	if err != nil {
		a.apiFail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, rooms)
}

// handleAPIRoom returns one room with its participants and its newest
// page of messages (has_earlier says there are older ones; ?before=<id>
// returns the page before message id).
func (a *App) handleAPIRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeJSONError(w, http.StatusNotFound, dataapi.CodeNotFound)
		return
	}
	before, ok := beforeParam(r)
	if !ok {
		writeJSONError(w, http.StatusBadRequest, dataapi.CodeBadRequest)
		return
	}
	d, err := a.data.GetRoom(r.Context(), id, before)
	if err != nil {
		a.apiFail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (a *App) apiFail(w http.ResponseWriter, err error) {
	var status int
	code := dataapi.CodeOf(err)
	switch code {
	case dataapi.CodeNotFound:
		status = http.StatusNotFound
	case dataapi.CodeBadRequest:
		status = http.StatusBadRequest
	case "":
		a.log.Error("api: data service", "err", err)
		status, code = http.StatusServiceUnavailable, dataapi.CodeUnavailable
	default:
		a.log.Error("api: data service", "err", err)
		status, code = http.StatusInternalServerError, dataapi.CodeInternal
	}
	writeJSONError(w, status, code)
}

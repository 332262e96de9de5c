package app

import (
	"net/http"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// apiRoutes is what GET /api/ lists, as the seed's REST API index did.
var apiRoutes = []string{"GET /api/", "GET /api/rooms?q=&page=", "GET /api/rooms/{id}?before="}

// handleAPIIndex lists the app's JSON routes.
func (a *App) handleAPIIndex(w http.ResponseWriter, r *http.Request) {
	contract.WriteJSON(w, http.StatusOK, map[string]any{"routes": apiRoutes})
}

// handleAPIRooms returns one page of rooms as JSON (search with ?q=).
func (a *App) handleAPIRooms(w http.ResponseWriter, r *http.Request) {
	rooms, err := a.data.ListRooms(r.Context(), dataapi.RoomQuery{Q: r.URL.Query().Get("q"), Page: pageParam(r)})
	if err != nil {
		a.apiFail(w, err)
		return
	}
	contract.WriteJSON(w, http.StatusOK, rooms)
}

// handleAPIRoom returns one room with its participants and its newest
// page of messages (has_earlier says there are older ones; ?before=<id>
// returns the page before message id).
func (a *App) handleAPIRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeJSONError(w, contract.CodeNotFound)
		return
	}
	before, ok := beforeParam(r)
	if !ok {
		writeJSONError(w, contract.CodeBadRequest)
		return
	}
	d, err := a.data.GetRoom(r.Context(), id, before)
	if err != nil {
		a.apiFail(w, err)
		return
	}
	contract.WriteJSON(w, http.StatusOK, d)
}

// apiFail answers a data-service failure: not_found and bad_request pass
// through; anything else is logged and becomes unavailable (the service
// could not answer) or internal.
func (a *App) apiFail(w http.ResponseWriter, err error) {
	code := dataapi.CodeOf(err)
	if code != contract.CodeNotFound && code != contract.CodeBadRequest {
		a.log.Error("api: data service", "err", err)
		if code != contract.CodeUnavailable {
			code = contract.CodeInternal
		}
	}
	writeJSONError(w, code)
}

// writeJSONError answers with the status of code and a body of the
// contract's shape holding only the code: the app's JSON routes have no
// message worth showing.
func writeJSONError(w http.ResponseWriter, code contract.ErrorCode) {
	contract.WriteJSON(w, code.Status(), map[string]any{"error": map[string]contract.ErrorCode{"code": code}})
}

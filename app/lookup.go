package app

import (
	"net/http"

	"github.com/coolroom/testbed/lambda/contract"
)

// What a page's path names, read for the pages that change it. Each
// answers the request itself when it returns false: 404 for a bad or
// unknown id, the failure page, or 403 for the wrong user.

// roomForHost reads the room of the path {id} for its host, the only
// one who may edit or delete it (the data service checks again).
func (a *App) roomForHost(w http.ResponseWriter, r *http.Request) (int64, *contract.RoomDetail, bool) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return 0, nil, false
	}
	d, err := a.data.GetRoom(r.Context(), id, 0)
	if err != nil {
		a.fail(w, r, err)
		return 0, nil, false
	}
	if d.Room.Host.ID != currentSession(r).User.ID {
		a.forbidden(w, r, onlyHost, id)
		return 0, nil, false
	}
	return id, d, true
}

// messageOfPath reads the message of the path {id}.
func (a *App) messageOfPath(w http.ResponseWriter, r *http.Request) (int64, *contract.Message, bool) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return 0, nil, false
	}
	m, err := a.data.GetMessage(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return 0, nil, false
	}
	return id, m, true
}

package app

import (
	"fmt"
	"net/http"
)

// handleDeleteRoomConfirm asks the host to confirm; others get 403.
func (a *App) handleDeleteRoomConfirm(w http.ResponseWriter, r *http.Request) {
	id, d, ok := a.roomForHost(w, r)
	if !ok {
		return
	}
	a.render(w, r, http.StatusOK, "confirm_delete", view{Title: "Delete room", Data: confirmPage{
		What: "the room", Quote: d.Room.Name,
		Action: fmt.Sprintf("/delete-room/%d", id), Cancel: fmt.Sprintf("/room/%d", id),
	}})
}

// handleDeleteRoom deletes the room with its messages; the data service
// refuses anyone but the host.
func (a *App) handleDeleteRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	if err := a.dataFor(r).DeleteRoom(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	a.addFlash(w, r, "success", "Room deleted.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

package app

import (
	"fmt"
	"net/http"
)

// handleDeleteMessageConfirm asks the author to confirm; others get 403.
func (a *App) handleDeleteMessageConfirm(w http.ResponseWriter, r *http.Request) {
	id, m, ok := a.messageOfPath(w, r)
	if !ok {
		return
	}
	if m.User.ID != currentSession(r).User.ID {
		a.forbidden(w, r, onlyAuthor, m.Room.ID)
		return
	}
	a.render(w, r, http.StatusOK, "confirm_delete", view{Title: "Delete message", Data: confirmPage{
		What: "this message", Quote: m.Body,
		Action: fmt.Sprintf("/delete-message/%d", id), Cancel: fmt.Sprintf("/room/%d#message-%d", m.Room.ID, id),
	}})
}

// handleDeleteMessage deletes the message (the data service refuses
// anyone but its author) and returns to its room.
func (a *App) handleDeleteMessage(w http.ResponseWriter, r *http.Request) {
	// The room to return to; reading the message first also turns a
	// vanished message into a 404 rather than a confusing redirect.
	id, m, ok := a.messageOfPath(w, r)
	if !ok {
		return
	}
	if err := a.dataFor(r).DeleteMessage(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	a.addFlash(w, r, "success", "Message deleted.")
	http.Redirect(w, r, fmt.Sprintf("/room/%d", m.Room.ID), http.StatusSeeOther)
}

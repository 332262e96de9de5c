package app

import (
	"fmt"
	"net/http"
)

func newRoomForm() roomFormPage {
	return roomFormPage{Heading: "Create a room", Action: "/create-room", Submit: "Create room", Cancel: "/", Fields: map[string]string{}}
}

// handleCreateRoomForm shows the create-room form with a datalist of the
// existing topics, holding the input kept if a session ended mid-post.
func (a *App) handleCreateRoomForm(w http.ResponseWriter, r *http.Request) {
	page := newRoomForm()
	page.Topics = a.topicsForForm(r.Context())
	a.restoreDraft(w, r, &page)
	a.render(w, r, http.StatusOK, "room_form", view{Title: page.Heading, Nav: "create", Data: &page})
}

// handleCreateRoom creates the room, hosted by the logged-in user, then
// opens it; validation errors re-render the form with what the user typed.
func (a *App) handleCreateRoom(w http.ResponseWriter, r *http.Request) {
	if !a.readSmallForm(w, r, tooLargeForm) {
		return
	}
	page := newRoomForm()
	page.Form = roomInputFrom(r)
	room, err := a.dataFor(r).CreateRoom(r.Context(), page.Form)
	if err != nil {
		a.formFailed(w, r, page, err)
		return
	}
	a.addFlash(w, r, "success", "Room created.")
	http.Redirect(w, r, fmt.Sprintf("/room/%d", room.ID), http.StatusSeeOther)
}

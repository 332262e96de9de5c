package app

import (
	"fmt"
	"net/http"
)

func updateRoomForm(id int64) roomFormPage {
	return roomFormPage{
		Heading: "Edit room", Action: fmt.Sprintf("/update-room/%d", id), Submit: "Save changes",
		Cancel: fmt.Sprintf("/room/%d", id), Fields: map[string]string{},
	}
}

// handleUpdateRoomForm shows the room's form to its host (with the input
// kept if a session ended mid-post), and 403 to anyone else.
func (a *App) handleUpdateRoomForm(w http.ResponseWriter, r *http.Request) {
	id, d, ok := a.roomForHost(w, r)
	if !ok {
		return
	}
	page := updateRoomForm(id)
	page.Form.Name, page.Form.Topic, page.Form.Description = d.Room.Name, d.Room.Topic.Name, d.Room.Description
	page.Topics = a.topicsForForm(r.Context())
	a.restoreDraft(w, r, &page)
	a.render(w, r, http.StatusOK, "room_form", view{Title: page.Heading, Data: &page})
}

// handleUpdateRoom saves the changes. The data service decides whether
// the caller is the host; the app does not pre-check, so the rule has
// one owner.
func (a *App) handleUpdateRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := a.postTo(w, r, tooLargeForm)
	if !ok {
		return
	}
	page := updateRoomForm(id)
	page.Form = roomInputFrom(r)
	if _, err := a.dataFor(r).UpdateRoom(r.Context(), id, roomUpdate(page.Form)); err != nil {
		a.formFailed(w, r, page, err)
		return
	}
	a.addFlash(w, r, "success", "Room updated.")
	http.Redirect(w, r, fmt.Sprintf("/room/%d", id), http.StatusSeeOther)
}

package app

import (
	"errors"
	"net/http"

	"github.com/coolroom/testbed/lambda/service"
)

// maxFormBytes bounds a posted form; the data service enforces its own limits.
const maxFormBytes = 64 << 10

type roomFormPage struct {
	Query  string
	Form   service.NewRoom
	Topics []service.Topic
	Fields map[string]string
	Error  string
}

// handleCreateRoomForm shows the create-room form with a datalist of the
// existing topics. Until login exists the room's host is the demo user.
func (a *App) handleCreateRoomForm(w http.ResponseWriter, r *http.Request) {
	topics, err := a.data.ListTopics(r.Context(), "")
	if err != nil {
		a.dataServiceFailed(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "room_form", roomFormPage{Topics: topics.Topics, Fields: map[string]string{}})
}

// handleCreateRoom creates the room through the data API, then redirects
// home; validation errors re-render the form with what the user typed.
func (a *App) handleCreateRoom(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		a.renderError(w, r, http.StatusRequestEntityTooLarge, "Form too large", "The form was larger than this page accepts.", false)
		return
	}
	in := service.NewRoom{Name: r.PostForm.Get("name"), Topic: r.PostForm.Get("topic"), Description: r.PostForm.Get("description")}
	_, err := a.data.CreateRoom(r.Context(), in)
	if err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	page := roomFormPage{Form: in, Fields: map[string]string{}}
	if topics, terr := a.data.ListTopics(r.Context(), ""); terr == nil {
		page.Topics = topics.Topics
	}
	var se *service.Error
	switch {
	case errors.As(err, &se) && se.Code == service.CodeValidationFailed:
		page.Fields = se.Fields
		page.Error = "Please correct the highlighted fields."
		a.render(w, r, http.StatusUnprocessableEntity, "room_form", page)
	case errors.As(err, &se):
		page.Error = se.Message
		a.render(w, r, http.StatusBadRequest, "room_form", page)
	default:
		// Keep what the user typed: the form comes back with a retry hint.
		a.log.Error("create room failed", "err", err)
		page.Error = "The data service is unavailable right now; your room was not created. Please try again."
		a.render(w, r, http.StatusServiceUnavailable, "room_form", page)
	}
}

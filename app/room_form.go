package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// roomFormPage is the create and update room form.
type roomFormPage struct {
	Heading string
	Action  string
	Submit  string
	Cancel  string
	Form    contract.NewRoom
	// Topics fill the topic field's datalist; a new name creates a topic.
	Topics []contract.Topic
	Fields map[string]string
	Error  string
	// Notice says the form holds a draft kept while the user logged in
	// again.
	Notice string
}

func roomInputFrom(r *http.Request) contract.NewRoom {
	f := r.PostForm
	return contract.NewRoom{
		Name:        strings.TrimSpace(f.Get("name")),
		Topic:       strings.TrimSpace(f.Get("topic")),
		Description: strings.TrimSpace(f.Get("description")),
	}
}

// roomUpdate is the form sent as a room update: every field, so the
// room becomes what the form shows.
func roomUpdate(f contract.NewRoom) contract.RoomUpdate {
	return contract.RoomUpdate{Name: &f.Name, Description: &f.Description, Topic: &f.Topic}
}

// restoreDraft fills the form with the input kept while the user logged
// in again, if there is one for this form.
func (a *App) restoreDraft(w http.ResponseWriter, r *http.Request, page *roomFormPage) {
	f := a.takeDraft(w, r, page.Action)
	if f == nil {
		return
	}
	page.Form = contract.NewRoom{Name: f["name"], Topic: f["topic"], Description: f["description"]}
	page.Notice = draftNotice
}

// topicsForForm lists the existing topics; the form still works without
// them, so a failure only costs the suggestions.
func (a *App) topicsForForm(ctx context.Context) []contract.Topic {
	t, err := a.data.ListTopics(ctx, "")
	if err != nil {
		a.log.Warn("topics for the room form", "err", err)
		return nil
	}
	return t.Topics
}

// formFailed re-renders a room form after the data service refused or
// failed, keeping what the user typed.
func (a *App) formFailed(w http.ResponseWriter, r *http.Request, page roomFormPage, err error) {
	page.Topics = a.topicsForForm(r.Context())
	v := view{Title: page.Heading, Data: &page}
	switch dataapi.CodeOf(err) {
	case contract.CodeValidationFailed, contract.CodeBadRequest, contract.CodeTooLarge:
		page.Fields = dataapi.FieldsOf(err)
		page.Error = correctFields
		a.render(w, r, http.StatusUnprocessableEntity, "room_form", v)
	case contract.CodeUnavailable:
		a.log.Error("room form", "path", r.URL.Path, "err", err)
		page.Error = "The data service is unavailable right now, so nothing was saved. Your text is still here: please try again in a moment."
		a.render(w, r, http.StatusServiceUnavailable, "room_form", v)
	default:
		a.fail(w, r, err)
	}
}

package app

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
)

type roomPage struct {
	Detail *dataapi.RoomDetail
	// IsHost shows the edit and delete controls (the data service
	// enforces the rule again on every change).
	IsHost bool
	// LastID is the newest message shown; the page polls for later ones.
	LastID int64
	// PollMillis is how often the page asks for new messages.
	PollMillis int64
	// Body and Error keep a message that could not be posted.
	Body  string
	Error string
	// Notice says Body is a draft kept while the user logged in again.
	Notice string
}

// handleRoom shows a room: its details, every message (oldest first),
// the participants, and, for logged-in users, the message form.
func (a *App) handleRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	a.showRoom(w, r, id, http.StatusOK, "", "")
}

func (a *App) showRoom(w http.ResponseWriter, r *http.Request, id int64, status int, body, errText string) {
	d, err := a.data.GetRoom(r.Context(), id)
	if err != nil {
		if errText != "" && dataapi.CodeOf(err) == "" {
			// Posting failed and now the room is unreachable too: still keep the text.
			a.unavailable(w, r, &resendForm{Action: "/room/" + strconv.FormatInt(id, 10), Body: body})
			return
		}
		a.fail(w, r, err)
		return
	}
	p := roomPage{Detail: d, Body: body, Error: errText, PollMillis: a.pollInterval.Milliseconds()}
	if body == "" {
		// Taken only now that the page can show it.
		if f := a.takeDraft(w, r, "/room/"+strconv.FormatInt(id, 10)); f["body"] != "" {
			p.Body, p.Notice = f["body"], draftNotice
		}
	}
	if s := currentSession(r); s != nil {
		p.IsHost = s.User.ID == d.Room.Host.ID
	}
	if n := len(d.Messages); n > 0 {
		p.LastID = d.Messages[n-1].ID
	}
	a.render(w, r, status, "room", view{Title: d.Room.Name, Data: p})
}

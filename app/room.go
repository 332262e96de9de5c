package app

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type roomPage struct {
	Detail *contract.RoomDetail
	// EarlierURL, when set, loads the page of messages before these.
	EarlierURL string
	// Latest says the page shows the newest messages; only then does it
	// poll for new ones. An earlier page links back to the latest.
	Latest bool
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
	// Focus puts the keyboard focus in the message box: after posting
	// (postedCookie), so the next message can be typed at once, and when
	// a post came back with an error.
	Focus bool
}

// handleRoom shows a room: its details, its newest page of messages
// (oldest first; ?before= shows the page before a message, "load
// earlier"), the participants, and, for logged-in users, the message
// form.
func (a *App) handleRoom(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	before, _ := beforeParam(r)
	a.showRoom(w, r, id, before, http.StatusOK, "", "")
}

// beforeParam reads ?before=, a message id: 0 when absent; ok is false
// when it is present but not a positive integer.
func beforeParam(r *http.Request) (before int64, ok bool) {
	v := r.URL.Query().Get("before")
	if v == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

func (a *App) showRoom(w http.ResponseWriter, r *http.Request, id, before int64, status int, body, errText string) {
	d, err := a.data.GetRoom(r.Context(), id, before)
	if err != nil {
		if errText != "" && dataapi.CodeOf(err) == contract.CodeUnavailable {
			// Posting failed and now the room is unreachable too: still keep the text.
			a.unavailable(w, r, &resendForm{Action: "/room/" + strconv.FormatInt(id, 10), Body: body})
			return
		}
		a.fail(w, r, err)
		return
	}
	p := roomPage{Detail: d, Latest: before == 0, Body: body, Error: errText, PollMillis: a.pollInterval.Milliseconds(),
		Focus: errText != "" || (before == 0 && takePosted(w, r, id))}
	if d.HasEarlier && len(d.Messages) > 0 {
		p.EarlierURL = fmt.Sprintf("/room/%d?before=%d#messages", id, d.Messages[0].ID)
	}
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

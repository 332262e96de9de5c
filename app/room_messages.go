package app

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// liveMessage is one new message for an open room page: its id and the
// same HTML the page renders for it (escaped by html/template), so the
// script only inserts trusted markup.
type liveMessage struct {
	ID   int64  `json:"id"`
	HTML string `json:"html"`
}

// liveParticipants is the room's participants list as the page shows it:
// the count and the list items, rendered by the page's own template.
type liveParticipants struct {
	Count int    `json:"count"`
	HTML  string `json:"html"`
}

// handleRoomMessages answers an open room page's poll:
// GET /room/{id}/messages?after=N returns the messages newer than N and,
// when there are any, the participants (posting is how one joins, so the
// list can only change when messages arrive). It also reports which of
// the room's newest messages still exist (Since and IDs), so a page drops
// the ones deleted since it was shown: one call for the newest page does
// both while the page is less than a page behind; a page further behind
// catches up with after=N first.
func (a *App) handleRoomMessages(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeJSONError(w, contract.CodeNotFound)
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		after = 0
	}
	page, since, ids, err := a.pollMessages(r, id, after)
	if err != nil {
		switch dataapi.CodeOf(err) {
		case contract.CodeNotFound:
			writeJSONError(w, contract.CodeNotFound)
		case contract.CodeUnavailable:
			writeJSONError(w, contract.CodeUnavailable)
		default:
			writeJSONError(w, contract.CodeBadRequest)
		}
		return
	}
	var me *contract.UserSummary
	if s := currentSession(r); s != nil {
		me = &s.User
	}
	// More says the next page is already waiting: the script asks again
	// at once instead of after its interval.
	out := struct {
		Messages []liveMessage `json:"messages"`
		More     bool          `json:"more"`
		// Since and IDs: every message from id Since up to the newest
		// still there; a shown one in that range but not listed was deleted.
		Since        int64             `json:"since,omitempty"`
		IDs          []int64           `json:"ids"`
		Participants *liveParticipants `json:"participants,omitempty"`
	}{Messages: []liveMessage{}, More: page.HasMore, Since: since, IDs: ids}
	for _, m := range page.Messages {
		html, err := a.fragment("message", map[string]any{"M": m, "Me": me})
		if err != nil {
			a.log.Error("render live message", "err", err)
			writeJSONError(w, contract.CodeInternal)
			return
		}
		out.Messages = append(out.Messages, liveMessage{ID: m.ID, HTML: html})
	}
	if len(page.Messages) > 0 {
		if out.Participants, err = a.liveParticipants(r, id); err != nil {
			// The messages still go out; the list catches up on the next news.
			a.log.Warn("participants for the live feed", "room", id, "err", err)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	contract.WriteJSON(w, http.StatusOK, out)
}

// pollMessages returns the messages after after and, when one call for
// the room's newest page covers them, the id range it covers and the ids
// in it (since 0 otherwise).
func (a *App) pollMessages(r *http.Request, roomID, after int64) (page *contract.MessageList, since int64, ids []int64, err error) {
	latest, err := a.data.LatestMessages(r.Context(), roomID)
	if err != nil {
		return nil, 0, nil, err
	}
	covers := !latest.HasMore || (len(latest.Messages) > 0 && latest.Messages[0].ID <= after)
	if !covers {
		// More than a page behind: catch up in order first.
		page, err = a.data.MessagesAfter(r.Context(), roomID, after)
		return page, 0, nil, err
	}
	page = &contract.MessageList{}
	since = 1
	if latest.HasMore {
		since = latest.Messages[0].ID
	}
	ids = []int64{}
	for _, m := range latest.Messages {
		ids = append(ids, m.ID)
		if m.ID > after {
			page.Messages = append(page.Messages, m)
		}
	}
	return page, since, ids, nil
}

// liveParticipants renders the room's current participants list.
func (a *App) liveParticipants(r *http.Request, roomID int64) (*liveParticipants, error) {
	d, err := a.data.GetRoom(r.Context(), roomID, 0)
	if err != nil {
		return nil, err
	}
	html, err := a.fragment("people", d.Participants)
	if err != nil {
		return nil, err
	}
	return &liveParticipants{Count: len(d.Participants), HTML: html}, nil
}

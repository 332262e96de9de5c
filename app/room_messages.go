package app

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
)

// liveMessage is one new message for an open room page: its id and the
// same HTML the page renders for it (escaped by html/template), so the
// script only inserts trusted markup.
type liveMessage struct {
	ID   int64  `json:"id"`
	HTML string `json:"html"`
}

// handleRoomMessages answers an open room page's poll:
// GET /room/{id}/messages?after=N returns the messages newer than N.
func (a *App) handleRoomMessages(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		writeJSONError(w, http.StatusNotFound, "not_found")
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		after = 0
	}
	msgs, err := a.data.MessagesAfter(r.Context(), id, after)
	if err != nil {
		switch dataapi.CodeOf(err) {
		case dataapi.CodeNotFound:
			writeJSONError(w, http.StatusNotFound, "not_found")
		case "":
			writeJSONError(w, http.StatusServiceUnavailable, "unavailable")
		default:
			writeJSONError(w, http.StatusBadRequest, "bad_request")
		}
		return
	}
	var me *dataapi.UserSummary
	if s := currentSession(r); s != nil {
		me = &s.User
	}
	out := struct {
		Messages []liveMessage `json:"messages"`
	}{Messages: []liveMessage{}}
	for _, m := range msgs {
		html, err := a.fragment("message", map[string]any{"M": m, "Me": me})
		if err != nil {
			a.log.Error("render live message", "err", err)
			writeJSONError(w, http.StatusInternalServerError, "internal")
			return
		}
		out.Messages = append(out.Messages, liveMessage{ID: m.ID, HTML: html})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code}})
}

package router

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// roomMessages: GET /rooms/{id}/messages?after= (the live-update poll)
// or ?before= ("load earlier"); neither gives the newest page.
func (a *api) roomMessages(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r, "room")
	if err != nil {
		return 0, nil, err
	}
	var c service.MessageCursor
	if c.Before, err = queryBefore(r); err != nil {
		return 0, nil, err
	}
	if r.URL.Query().Has("after") {
		after, err := queryInt(r, "after", 0, 0, "must be a non-negative integer")
		if err != nil {
			return 0, nil, err
		}
		c.After = &after
	}
	res, err := a.svc.RoomMessages(r.Context(), id, c)
	return http.StatusOK, res, err
}

// queryBefore reads ?before=, a message id (0 when absent).
func queryBefore(r *http.Request) (int64, error) {
	return queryInt(r, "before", 0, 1, "must be a positive integer")
}

// postMessage: POST /rooms/{id}/messages.
func (a *api) postMessage(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, caller, err := a.idAndCaller(r, "room")
	if err != nil {
		return 0, nil, err
	}
	var in contract.NewMessage
	if err := decodeJSON(w, r, &in); err != nil {
		return 0, nil, err
	}
	m, err := a.svc.PostMessage(r.Context(), caller, id, in)
	if err != nil {
		return 0, nil, err
	}
	w.Header().Set("Location", "/messages/"+strconv.FormatInt(m.ID, 10))
	return http.StatusCreated, m, nil
}

// listMessages: GET /messages?q=&topic=&user=&page=, the activity feed.
func (a *api) listMessages(w http.ResponseWriter, r *http.Request) (int, any, error) {
	page, user, err := listingParams(r, "user")
	if err != nil {
		return 0, nil, err
	}
	res, err := a.svc.ListMessages(r.Context(), service.MessageQuery{Q: r.URL.Query().Get("q"), Topic: r.URL.Query().Get("topic"), UserID: user, Page: page})
	return http.StatusOK, res, err
}

// getMessage: GET /messages/{id}.
func (a *api) getMessage(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, err := pathID(r, "message")
	if err != nil {
		return 0, nil, err
	}
	m, err := a.svc.GetMessage(r.Context(), id)
	return http.StatusOK, m, err
}

// deleteMessage: DELETE /messages/{id}, author only.
func (a *api) deleteMessage(w http.ResponseWriter, r *http.Request) (int, any, error) {
	id, caller, err := a.idAndCaller(r, "message")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, a.svc.DeleteMessage(r.Context(), caller, id)
}

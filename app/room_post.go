package app

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// handlePostMessage posts a message as the logged-in user (who thereby
// joins the room). A message that fails keeps its text in the form.
func (a *App) handlePostMessage(w http.ResponseWriter, r *http.Request) {
	id, ok := a.postTo(w, r, tooLargeMessage)
	if !ok {
		return
	}
	body := r.PostForm.Get("body")
	msg, err := a.dataFor(r).PostMessage(r.Context(), id, body)
	if err == nil {
		markPosted(w, r, id)
		http.Redirect(w, r, fmt.Sprintf("/room/%d#message-%d", id, msg.ID), http.StatusSeeOther)
		return
	}
	switch dataapi.CodeOf(err) {
	case contract.CodeValidationFailed, contract.CodeBadRequest, contract.CodeTooLarge:
		text := "The message could not be posted."
		if f := dataapi.FieldsOf(err)["body"]; f != "" {
			text = "The message " + f + "."
		}
		a.showRoom(w, r, id, 0, http.StatusUnprocessableEntity, body, text)
	case contract.CodeUnavailable:
		a.log.Error("post message failed", "room", id, "err", err)
		a.unavailable(w, r, &resendForm{Action: "/room/" + strconv.FormatInt(id, 10), Body: body})
	default:
		a.fail(w, r, err)
	}
}

// postedCookie tells the room page, once, that its message was just
// posted, so it keeps the keyboard focus in the message box instead of
// leaving it on <body> (17 Tabs away). It carries no data: a forged one
// only moves the focus.
const postedCookie = "coolroom_posted"

func markPosted(w http.ResponseWriter, r *http.Request, roomID int64) {
	http.SetCookie(w, &http.Cookie{Name: postedCookie, Value: "1", Path: "/room/" + strconv.FormatInt(roomID, 10),
		MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
}

// takePosted reports and clears the mark of markPosted.
func takePosted(w http.ResponseWriter, r *http.Request, roomID int64) bool {
	if _, err := r.Cookie(postedCookie); err != nil {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: postedCookie, Value: "", Path: "/room/" + strconv.FormatInt(roomID, 10),
		MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r)})
	return true
}

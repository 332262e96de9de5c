package app

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type errorPage struct {
	Status  int
	Message string
	// Retry shows the "data service unavailable" hint.
	Retry bool
	// Resend, when set, is a form that re-sends what the user typed, so
	// a failed post loses nothing.
	Resend *resendForm
	// BackURL and BackLabel lead back to where the user came from (the
	// room), besides home.
	BackURL, BackLabel string
}

// resendForm is a message that could not be posted, offered again.
type resendForm struct {
	Action string
	Body   string
}

func (a *App) renderError(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	a.render(w, r, status, "error", view{Title: title, Data: errorPage{Status: status, Message: message}})
}

func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	a.renderError(w, r, http.StatusNotFound, "Page not found", "There is nothing at this address. It may have been deleted.")
}

// Who may do what, in the words the pages use (a room has a host, a
// message an author).
const (
	onlyHost   = "Only the room's host can edit or delete it."
	onlyAuthor = "Only the message's author can delete it."
)

// forbidden is the 403 page: message says who may do it; roomID, when
// known, links back to the room.
func (a *App) forbidden(w http.ResponseWriter, r *http.Request, message string, roomID int64) {
	p := errorPage{Status: http.StatusForbidden, Message: message}
	if roomID > 0 {
		p.BackURL, p.BackLabel = "/room/"+strconv.FormatInt(roomID, 10), "Back to the room"
	}
	a.render(w, r, http.StatusForbidden, "error", view{Title: "Not allowed", Data: p})
}

// forbiddenByService is the 403 page for a change the data service
// refused: a room change names the host and links back to the room.
func (a *App) forbiddenByService(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	switch {
	case strings.HasPrefix(r.URL.Path, "/update-room/"), strings.HasPrefix(r.URL.Path, "/delete-room/"):
		a.forbidden(w, r, onlyHost, id)
	case strings.HasPrefix(r.URL.Path, "/delete-message/"):
		a.forbidden(w, r, onlyAuthor, 0)
	default:
		a.forbidden(w, r, "You are not allowed to do that.", 0)
	}
}

func (a *App) unavailable(w http.ResponseWriter, r *http.Request, resend *resendForm) {
	a.render(w, r, http.StatusServiceUnavailable, "error", view{
		Title: "The data service is unavailable",
		Data: errorPage{Status: http.StatusServiceUnavailable, Retry: true, Resend: resend,
			Message: "We could not reach the rooms service (API Gateway or its Lambda function did not answer)."},
	})
}

// fail renders the page for a failed data API call: 404 and 403 as the
// service decided, a login for an expired session, the friendly 503 when
// API Gateway or the Lambda failed, and 500 for anything else.
func (a *App) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch dataapi.CodeOf(err) {
	case contract.CodeNotFound:
		a.notFound(w, r)
		return
	case contract.CodeForbidden:
		a.forbiddenByService(w, r)
		return
	case contract.CodeUnauthorized:
		// The token expired or the service's secret changed.
		var user int64
		if s := currentSession(r); s != nil {
			user = s.User.ID
		}
		a.endSession(w, r)
		a.loginAgain(w, r, user, "Your session has expired. Please log in again.")
		return
	case contract.CodeBadRequest:
		a.renderError(w, r, http.StatusBadRequest, "Bad request", "The request could not be understood.")
		return
	}
	a.log.Error("data service call failed", "path", r.URL.Path, "err", err)
	if dataapi.CodeOf(err) == contract.CodeUnavailable {
		a.unavailable(w, r, nil)
		return
	}
	a.renderError(w, r, http.StatusInternalServerError, "Something went wrong", "The request could not be completed. The problem has been logged.")
}

// pathID reads a positive numeric {id} from the route; anything else is
// a 404, like an id that does not exist.
func pathID(r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return n, err == nil && n > 0
}

package app

import (
	"net/http"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// handleLogout ends the session in the data service (so a copy of the
// cookie stops working too), then clears the session cookie and any kept
// draft. It is a POST so that a link or an image on another page cannot
// log the user out.
func (a *App) handleLogout(w http.ResponseWriter, r *http.Request) {
	message, kind := "You have been logged out.", "success"
	if s := currentSession(r); s != nil {
		err := a.data.As(s.Token).Logout(r.Context())
		switch code := dataapi.CodeOf(err); {
		case err == nil, code == contract.CodeUnauthorized:
			// Ended now, or already over (expired, ended elsewhere).
		default:
			a.log.Error("end the session in the data service", "user", s.User.ID, "err", err)
			kind = "error"
			message = "You have been logged out of this browser, but the server could not be reached to end the session; it ends by itself within a day."
		}
	}
	a.endSession(w, r)
	a.clearDraft(w, r)
	a.addFlash(w, r, kind, message)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

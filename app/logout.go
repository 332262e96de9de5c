package app

import "net/http"

// handleLogout clears the session cookie and any kept draft. It is a POST so that a link or
// an image on another page cannot log the user out.
func (a *App) handleLogout(w http.ResponseWriter, r *http.Request) {
	a.endSession(w, r)
	a.clearDraft(w, r)
	a.addFlash(w, r, "success", "You have been logged out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

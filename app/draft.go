package app

import (
	"net/http"
	"strings"
	"time"
)

// draftCookie keeps what the user typed into a form whose post could not
// be made because the session had ended (the cookie expired, was
// unreadable, or the data service rejected the token with 401). The user
// logs in again and finds the text back in the form. It is sealed like
// the session, so nobody can plant text in someone else's form.
const draftCookie = "coolroom_draft"

// maxDraftCookie bounds the sealed cookie value: browsers keep a cookie
// of at most 4096 bytes, name and attributes included.
const maxDraftCookie = 3800

// draftLifetime is how long a kept draft waits for its author to log in.
const draftLifetime = 30 * time.Minute

// draftNotice tells the user the form holds their kept, unsent text.
const draftNotice = "Your text was kept while you logged in again. It has not been sent yet."

// draft is a form's unsent input.
type draft struct {
	// Path is the form's action, e.g. /room/7; the form at the same path
	// (GET) takes it back.
	Path string `json:"p"`
	// User is who typed it when the expired session still says so; 0
	// when the session cookie was missing or forged. Another user logging
	// in on the same browser does not get it.
	User   int64             `json:"u"`
	Fields map[string]string `json:"f"`
}

// keepDraft stores the posted text fields of r in the draft cookie and
// reports whether it did. When it did not, the draft's Fields are empty
// if nothing was typed, and otherwise hold text too long for a cookie,
// which the caller must show some other way.
func (a *App) keepDraft(w http.ResponseWriter, r *http.Request, user int64) (draft, bool) {
	d := draft{Path: r.URL.Path, User: user, Fields: map[string]string{}}
	typed := false
	for name, vals := range r.PostForm {
		if len(vals) == 0 || strings.Contains(strings.ToLower(name), "password") {
			continue
		}
		// Empty fields are kept too: clearing a field is an edit.
		d.Fields[name] = vals[0]
		typed = typed || strings.TrimSpace(vals[0]) != ""
	}
	if !typed {
		return draft{}, false
	}
	v, err := a.cookies.seal(draftCookie, d)
	if err != nil || len(v) > maxDraftCookie {
		return d, false
	}
	a.setCookie(w, r, draftCookie, v, time.Now().Add(draftLifetime))
	return d, true
}

// takeDraft returns the kept input for the form at path, clearing the
// cookie, or nil. Only a logged-in user gets a draft, and only their own
// (or one whose author was unknown).
func (a *App) takeDraft(w http.ResponseWriter, r *http.Request, path string) map[string]string {
	s := currentSession(r)
	if s == nil {
		return nil
	}
	c, err := r.Cookie(draftCookie)
	if err != nil {
		return nil
	}
	var d draft
	if err := a.cookies.open(draftCookie, c.Value, &d); err != nil || (d.User != 0 && d.User != s.User.ID) {
		a.clearDraft(w, r)
		return nil
	}
	if d.Path != path {
		return nil
	}
	a.clearDraft(w, r)
	return d.Fields
}

func (a *App) clearDraft(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(draftCookie); err == nil {
		a.setCookie(w, r, draftCookie, "", time.Time{})
	}
}

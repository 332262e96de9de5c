package app

import (
	"net/http"
	"net/url"
	"sort"
)

// keptField is one field of a post that could not be kept in the draft
// cookie, shown on the login page so the user can copy it.
type keptField struct {
	Label, Value string
}

// draftLabels names the posted fields a user may see again.
var draftLabels = map[string]string{
	"body": "Your message", "name": "Name", "topic": "Topic", "description": "About",
	"username": "Username", "email": "Email", "bio": "Bio",
}

// loginAgain sends a visitor whose session is missing, expired or
// rejected to the login page and back, with message as a flash (none when
// empty). For a GET, next= is the page. For
// a POST nothing typed is lost: the form's text goes into the draft
// cookie and next= is the form (the GET at the same path), which shows it
// again after login. Text too long for a cookie is shown on the login
// page itself, answered right here, so the user can copy it.
func (a *App) loginAgain(w http.ResponseWriter, r *http.Request, user int64, message string) {
	if r.Method != http.MethodPost {
		if message != "" {
			a.addFlash(w, r, "error", message)
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	next := "/login?next=" + url.QueryEscape(r.URL.Path)
	d, kept := a.keepDraft(w, r, user)
	switch {
	case kept:
		a.addFlash(w, r, "error", message+" What you typed has been kept.")
		http.Redirect(w, r, next, http.StatusSeeOther)
	case len(d.Fields) > 0:
		page := loginPage{Next: safeNext(r.URL.Path), Error: message + " What you typed is below: copy it before you log in, it has not been sent."}
		for name, v := range d.Fields {
			if label, ok := draftLabels[name]; ok && v != "" {
				page.Kept = append(page.Kept, keptField{Label: label, Value: v})
			}
		}
		sort.Slice(page.Kept, func(i, j int) bool { return page.Kept[i].Label < page.Kept[j].Label })
		a.render(w, r, http.StatusUnauthorized, "login", view{Title: "Log in", Nav: "login", Data: page})
	default:
		a.addFlash(w, r, "error", message)
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

package app

import (
	"net/http"
	"time"
)

// flashCookie carries one-shot messages across a redirect (post, redirect,
// get). It is sealed like the session, so nobody can plant text in it.
const flashCookie = "coolroom_flash"

// flashLifetime is how long a queued message waits for the next page.
const flashLifetime = 5 * time.Minute

// flash is a message shown once at the top of the next page.
type flash struct {
	// Kind is "success" or "error"; it picks the style and the ARIA role.
	Kind string `json:"k"`
	Text string `json:"t"`
}

// addFlash queues a message for the next page this browser renders.
func (a *App) addFlash(w http.ResponseWriter, r *http.Request, kind, text string) {
	v, err := a.cookies.seal(flashCookie, []flash{{Kind: kind, Text: text}})
	if err != nil {
		a.log.Error("seal flash", "err", err)
		return
	}
	a.setCookie(w, r, flashCookie, v, time.Now().Add(flashLifetime))
}

// takeFlashes reads the queued messages and clears the cookie.
func (a *App) takeFlashes(w http.ResponseWriter, r *http.Request) []flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	a.setCookie(w, r, flashCookie, "", time.Time{})
	var out []flash
	if err := a.cookies.open(flashCookie, c.Value, &out); err != nil {
		return nil
	}
	return out
}

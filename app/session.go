package app

import (
	"context"
	"net/http"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// sessionCookie holds the logged-in user's data-service token. The app
// keeps no session state of its own, so any replica can serve any user.
const sessionCookie = "coolroom_session"

// sessionLifetime is how long a session cookie opens after it was sealed:
// the data service's tokens last 24 hours (service.DefaultTokenTTL), and
// the session's own Expires is checked as well.
const sessionLifetime = 24 * time.Hour

// session is what the session cookie carries: the bearer token and the
// user it belongs to (so the header can show who is logged in without a
// data API call on every page).
type session struct {
	Token   string               `json:"t"`
	User    contract.UserSummary `json:"u"`
	Expires time.Time            `json:"e"`
}

// isHTTPS reports whether the browser reached us over HTTPS, directly or
// through a TLS-terminating load balancer (the seed's ELB).
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (a *App) setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r),
	}
	if expires.IsZero() {
		// Deleting: an expiry in the past makes every browser drop it.
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	http.SetCookie(w, c)
}

// logIn starts the session of a login or registration, greets the user
// with welcome on the next page and sends them to next.
func (a *App) logIn(w http.ResponseWriter, r *http.Request, res *contract.AuthResult, welcome, next string) {
	if err := a.startSession(w, r, res); err != nil {
		a.fail(w, r, err)
		return
	}
	a.addFlash(w, r, "success", welcome)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// startSession stores the token from a login or registration.
func (a *App) startSession(w http.ResponseWriter, r *http.Request, res *contract.AuthResult) error {
	s := session{Token: res.Token, User: res.User.Summary(), Expires: res.Expires}
	if s.Expires.IsZero() {
		s.Expires = time.Now().Add(sessionLifetime)
	}
	return a.saveSession(w, r, s)
}

func (a *App) saveSession(w http.ResponseWriter, r *http.Request, s session) error {
	v, err := a.cookies.seal(sessionCookie, s)
	if err != nil {
		return err
	}
	a.setCookie(w, r, sessionCookie, v, s.Expires)
	return nil
}

func (a *App) endSession(w http.ResponseWriter, r *http.Request) {
	a.setCookie(w, r, sessionCookie, "", time.Time{})
}

type sessionKey struct{}

// loadSession opens the session cookie once per request; a missing,
// forged, or expired cookie simply means "not logged in".
func (a *App) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil {
			var s session
			if err := a.cookies.open(sessionCookie, c.Value, &s); err == nil && time.Now().Before(s.Expires) {
				r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &s))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// currentSession returns the logged-in user's session, or nil.
func currentSession(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// dataFor returns the data API client acting as the request's user.
func (a *App) dataFor(r *http.Request) *dataapi.Client {
	if s := currentSession(r); s != nil {
		return a.data.As(s.Token)
	}
	return a.data
}

// requireLogin sends anonymous visitors to the login page, remembering
// where they wanted to go and, for a post, what they typed.
func (a *App) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentSession(r) == nil {
			message := ""
			if r.Method == http.MethodPost {
				parseSmallForm(w, r)
				message = "Please log in to continue."
			}
			a.loginAgain(w, r, a.lapsedSessionUser(r), message)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// lapsedSessionUser is the user of a session cookie that is authentic
// but expired, or 0: it ties a kept draft to its author.
func (a *App) lapsedSessionUser(r *http.Request) int64 {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return 0
	}
	var s session
	if a.cookies.open(sessionCookie, c.Value, &s) != nil {
		return 0
	}
	return s.User.ID
}

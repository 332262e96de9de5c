package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type loginPage struct {
	Email string
	Next  string
	Error string
	// Kept is text from a post the expired session could not make and
	// the draft cookie could not hold, shown so it is not lost.
	Kept []keptField
}

// handleLoginForm shows the login form; logged-in users go home.
func (a *App) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if currentSession(r) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusOK, "login", view{Title: "Log in", Nav: "login", Data: loginPage{Next: next}})
}

// handleLogin exchanges email and password for a data-service token and
// keeps it in the session cookie, then follows ?next= (same site only).
func (a *App) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !a.readSmallForm(w, r, tooLargeForm) {
		return
	}
	page := loginPage{Email: strings.TrimSpace(r.PostForm.Get("email")), Next: safeNext(r.PostForm.Get("next"))}
	password := r.PostForm.Get("password")
	if page.Email == "" || password == "" {
		page.Error = "Enter your email and password."
		a.render(w, r, http.StatusUnprocessableEntity, "login", view{Title: "Log in", Nav: "login", Data: page})
		return
	}
	browser := browserAddr(r)
	if wait := a.logins.wait(browser, time.Now()); wait > 0 {
		a.tooManyLogins(w, r, page, wait)
		return
	}
	res, err := a.data.Login(r.Context(), contract.Credentials{Email: page.Email, Password: password})
	if err != nil {
		switch dataapi.CodeOf(err) {
		case contract.CodeUnauthorized, contract.CodeValidationFailed, contract.CodeNotFound:
			a.logins.failed(browser, time.Now())
			page.Error = "That email and password do not match an account."
			a.render(w, r, http.StatusUnauthorized, "login", view{Title: "Log in", Nav: "login", Data: page})
		case contract.CodeTooManyAttempts:
			page.Error = "Too many failed attempts. Please wait a few minutes and try again."
			a.render(w, r, http.StatusTooManyRequests, "login", view{Title: "Log in", Nav: "login", Data: page})
		default:
			a.fail(w, r, err)
		}
		return
	}
	a.logIn(w, r, res, "Welcome back, "+res.User.Name+".", page.Next)
}

// tooManyLogins answers a login refused by the app's per-browser limit.
func (a *App) tooManyLogins(w http.ResponseWriter, r *http.Request, page loginPage, wait time.Duration) {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	page.Error = fmt.Sprintf("Too many failed attempts from your connection. Please wait %d minute%s and try again.",
		minutes, map[bool]string{true: "", false: "s"}[minutes == 1])
	a.render(w, r, http.StatusTooManyRequests, "login", view{Title: "Log in", Nav: "login", Data: page})
}

package app

import (
	"net/http"
	"strings"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type registerPage struct {
	Form   contract.NewUser
	Fields map[string]string
	Error  string
}

// handleRegisterForm shows the sign-up form; logged-in users go home.
func (a *App) handleRegisterForm(w http.ResponseWriter, r *http.Request) {
	if currentSession(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusOK, "register", view{Title: "Sign up", Nav: "register", Data: registerPage{Fields: map[string]string{}}})
}

// handleRegister creates the account through the data service (which
// hashes the password and lower-cases the username) and logs the user in.
func (a *App) handleRegister(w http.ResponseWriter, r *http.Request) {
	if !a.readSmallForm(w, r, tooLargeForm) {
		return
	}
	f := r.PostForm
	page := registerPage{
		Form: contract.NewUser{
			Name: strings.TrimSpace(f.Get("name")), Username: strings.TrimSpace(f.Get("username")),
			Email: strings.TrimSpace(f.Get("email")), Password: f.Get("password"),
		},
		Fields: map[string]string{},
	}
	show := func(status int) {
		page.Form.Password = "" // never echo a password back into the page
		a.render(w, r, status, "register", view{Title: "Sign up", Nav: "register", Data: page})
	}
	if page.Form.Password != f.Get("password2") {
		page.Fields["password2"] = "The passwords do not match."
		page.Error = correctFields
		show(http.StatusUnprocessableEntity)
		return
	}
	res, err := a.data.Register(r.Context(), page.Form)
	if err != nil {
		switch dataapi.CodeOf(err) {
		case contract.CodeValidationFailed, contract.CodeConflict, contract.CodeBadRequest:
			page.Fields = dataapi.FieldsOf(err)
			page.Error = correctFields
			status := http.StatusUnprocessableEntity
			if dataapi.CodeOf(err) == contract.CodeConflict {
				status = http.StatusConflict
			}
			show(status)
		default:
			a.fail(w, r, err)
		}
		return
	}
	a.logIn(w, r, res, "Welcome to The Cool Room, "+res.User.Name+"!", "/")
}

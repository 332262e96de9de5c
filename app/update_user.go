package app

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type userFormPage struct {
	Form      contract.User
	Fields    map[string]string
	Error     string
	MaxAvatar string
	// Notice says the form holds a draft kept while the user logged in
	// again (the picture has to be chosen again).
	Notice string
}

func (a *App) userForm(u contract.User) userFormPage {
	return userFormPage{Form: u, Fields: map[string]string{}, MaxAvatar: humanBytes(a.avatarMax)}
}

// handleUpdateUserForm shows the logged-in user's profile form, holding
// the text kept if a session ended mid-post.
func (a *App) handleUpdateUserForm(w http.ResponseWriter, r *http.Request) {
	s := currentSession(r)
	u, err := a.dataFor(r).GetUser(r.Context(), s.User.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page := a.userForm(*u)
	if f := a.takeDraft(w, r, "/update-user"); f != nil {
		page.Form.Name, page.Form.Username, page.Form.Email, page.Form.Bio = f["name"], f["username"], f["email"], f["bio"]
		page.Notice = draftNotice + " Choose the picture again if you were changing it."
	}
	a.render(w, r, http.StatusOK, "user_form", view{Title: "Edit profile", Nav: "profile", Data: page})
}

// handleUpdateUser saves name, username, email, bio and, when a file was
// chosen, a new avatar: checked, stored in S3 under a new key, and the old
// one deleted once the profile points at the new one.
func (a *App) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	s := currentSession(r)
	up, err := readProfileUpload(w, r, a.avatarMax)
	if err != nil {
		a.renderError(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	f := up.Fields
	form := contract.User{
		ID: s.User.ID, Avatar: s.User.Avatar,
		Name: strings.TrimSpace(f.Get("name")), Username: strings.TrimSpace(f.Get("username")),
		Email: strings.TrimSpace(f.Get("email")), Bio: strings.TrimSpace(f.Get("bio")),
	}
	page := a.userForm(form)
	show := func(status int) {
		a.render(w, r, status, "user_form", view{Title: "Edit profile", Nav: "profile", Data: page})
	}
	upd := contract.UserUpdate{Name: &form.Name, Username: &form.Username, Email: &form.Email, Bio: &form.Bio}

	// A picture over the limit comes back as a field error on the form,
	// keeping what was typed; nothing is changed.
	if up.TooBig || up.Partial {
		page.Fields["avatar"] = "The picture is larger than " + humanBytes(a.avatarMax) + ". Choose a smaller one; nothing was changed."
		page.Error = "Please correct the highlighted fields."
		if up.Partial {
			// Cut off: a field that never arrived shows its saved value.
			if cur, err := a.dataFor(r).GetUser(r.Context(), s.User.ID); err == nil {
				fill := func(key string, dst *string, saved string) {
					if !f.Has(key) {
						*dst = saved
					}
				}
				fill("name", &page.Form.Name, cur.Name)
				fill("username", &page.Form.Username, cur.Username)
				fill("email", &page.Form.Email, cur.Email)
				fill("bio", &page.Form.Bio, cur.Bio)
			}
		}
		show(http.StatusRequestEntityTooLarge)
		return
	}
	var newKey string
	if data := up.Avatar; data != nil {
		contentType, ext, err := checkAvatar(r.Context(), data)
		if err != nil {
			page.Fields["avatar"] = "The picture " + err.Error() + "."
			page.Error = "Please correct the highlighted fields."
			show(http.StatusUnprocessableEntity)
			return
		}
		newKey, err = a.storeAvatar(r.Context(), s.User.ID, data, contentType, ext)
		if err != nil {
			a.log.Error("store avatar", "err", err)
			page.Error = "The picture could not be stored right now. Nothing was changed; please try again."
			show(http.StatusServiceUnavailable)
			return
		}
		upd.Avatar = &newKey
	}

	// The current avatar (to delete after a successful change) comes
	// from the service, not the cookie, which another session may have
	// made stale.
	var oldKey string
	if newKey != "" {
		if cur, err := a.dataFor(r).GetUser(r.Context(), s.User.ID); err == nil {
			oldKey = cur.Avatar
		}
	}
	u, err := a.dataFor(r).UpdateUser(r.Context(), s.User.ID, upd)
	if err != nil {
		a.deleteAvatar(r.Context(), s.User.ID, newKey)
		switch dataapi.CodeOf(err) {
		case contract.CodeValidationFailed, contract.CodeConflict, contract.CodeBadRequest:
			page.Fields = dataapi.FieldsOf(err)
			page.Error = "Please correct the highlighted fields."
			show(http.StatusUnprocessableEntity)
		case "":
			a.log.Error("update user", "err", err)
			page.Error = "The data service is unavailable right now, so nothing was saved. Your changes are still here: please try again in a moment."
			show(http.StatusServiceUnavailable)
		default:
			a.fail(w, r, err)
		}
		return
	}
	if newKey != "" && oldKey != newKey {
		a.deleteAvatar(r.Context(), s.User.ID, oldKey)
	}
	s.User = u.Summary()
	if err := a.saveSession(w, r, *s); err != nil {
		a.log.Error("refresh session", "err", err)
	}
	a.addFlash(w, r, "success", "Profile updated.")
	http.Redirect(w, r, fmt.Sprintf("/profile/%d", u.ID), http.StatusSeeOther)
}

// humanBytes is "2 MiB", "512 KiB", "100 bytes".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

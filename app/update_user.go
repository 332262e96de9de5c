package app

import (
	"errors"
	"fmt"
	"net/http"

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
// chosen, a new avatar (see saveProfile). A refused form comes back with
// what was typed and the reason per field.
func (a *App) handleUpdateUser(w http.ResponseWriter, r *http.Request) {
	s := currentSession(r)
	form, err := readUserForm(w, r, a.avatarMax)
	if err != nil {
		a.renderError(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	page := a.userForm(form.Shown(s.User.ID, s.User.Avatar, nil))
	show := func(status int, message string) {
		page.Error = message
		a.render(w, r, status, "user_form", view{Title: "Edit profile", Nav: "profile", Data: page})
	}
	var invalid *formError
	if errors.As(form.Validate(r.Context(), a.avatarMax), &invalid) {
		if form.Cut() {
			if saved, err := a.dataFor(r).GetUser(r.Context(), s.User.ID); err == nil {
				page.Form = form.Shown(s.User.ID, s.User.Avatar, saved)
			}
		}
		page.Fields = invalid.Fields
		show(invalid.Status, correctFields)
		return
	}
	u, err := a.saveProfile(r, s.User.ID, form)
	if errors.Is(err, errAvatarNotStored) {
		a.log.Error("store avatar", "err", err)
		show(http.StatusServiceUnavailable, "The picture could not be stored right now. Nothing was changed; please try again.")
		return
	}
	if err != nil {
		switch dataapi.CodeOf(err) {
		case contract.CodeValidationFailed, contract.CodeConflict, contract.CodeBadRequest:
			page.Fields = dataapi.FieldsOf(err)
			show(http.StatusUnprocessableEntity, correctFields)
		case contract.CodeUnavailable:
			a.log.Error("update user", "err", err)
			show(http.StatusServiceUnavailable, "The data service is unavailable right now, so nothing was saved. Your changes are still here: please try again in a moment.")
		default:
			a.fail(w, r, err)
		}
		return
	}
	s.User = u.Summary()
	if err := a.saveSession(w, r, *s); err != nil {
		a.log.Error("refresh session", "err", err)
	}
	a.addFlash(w, r, "success", "Profile updated.")
	http.Redirect(w, r, fmt.Sprintf("/profile/%d", u.ID), http.StatusSeeOther)
}

// errAvatarNotStored is a picture S3 did not take; nothing was changed.
var errAvatarNotStored = errors.New("the picture could not be stored")

// saveProfile stores the form's checked picture, if any, in S3 under a new
// key, points the profile at it along with the text fields, and then
// deletes the old picture; if the update fails, the new picture is deleted
// instead.
func (a *App) saveProfile(r *http.Request, userID int64, form *userForm) (*contract.User, error) {
	ctx := r.Context()
	var newKey, oldKey string
	if data, contentType, ext := form.Avatar(); data != nil {
		key, err := a.storeAvatar(ctx, userID, data, contentType, ext)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", errAvatarNotStored, err)
		}
		newKey = key
		// The current avatar comes from the service, not the cookie,
		// which another session may have made stale.
		if cur, err := a.dataFor(r).GetUser(ctx, userID); err == nil {
			oldKey = cur.Avatar
		}
	}
	u, err := a.dataFor(r).UpdateUser(ctx, userID, form.Update(newKey))
	if err != nil {
		a.deleteAvatar(ctx, userID, newKey)
		return nil, err
	}
	if newKey != "" && oldKey != newKey {
		a.deleteAvatar(ctx, userID, oldKey)
	}
	return u, nil
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

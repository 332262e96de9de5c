package app

import (
	"context"
	"net/http"
	"strings"

	"github.com/coolroom/testbed/lambda/contract"
)

// userForm is the edit-profile form as posted, in the manner of
// miniflux's ui/form: the typed fields, the chosen picture and how its
// upload went. Validate checks what the app owns (the picture); the data
// service checks the text fields.
type userForm struct {
	Name, Username, Email, Bio string
	upload                     *profileUpload
	// avatarType and avatarExt are the checked picture's content type
	// and file extension, set by Validate.
	avatarType, avatarExt string
}

// readUserForm reads the posted profile form (see readProfileUpload),
// trimming the text fields.
func readUserForm(w http.ResponseWriter, r *http.Request, avatarMax int64) (*userForm, error) {
	up, err := readProfileUpload(w, r, avatarMax)
	if err != nil {
		return nil, err
	}
	f := up.Fields
	return &userForm{
		Name: strings.TrimSpace(f.Get("name")), Username: strings.TrimSpace(f.Get("username")),
		Email: strings.TrimSpace(f.Get("email")), Bio: strings.TrimSpace(f.Get("bio")),
		upload: up,
	}, nil
}

// formError is a form the app refuses before calling the data service:
// the status to answer with and a message per bad field.
type formError struct {
	Status int
	Fields map[string]string
}

func (e *formError) Error() string { return "the form has invalid fields" }

// Validate checks the picture: over avatarMax (the form comes back with
// 413, nothing changed) or not an image the app accepts (422). A good
// picture's type is kept for Avatar.
func (f *userForm) Validate(ctx context.Context, avatarMax int64) error {
	if f.upload.TooBig || f.upload.Partial {
		return &formError{Status: http.StatusRequestEntityTooLarge, Fields: map[string]string{
			"avatar": "The picture is larger than " + humanBytes(avatarMax) + ". Choose a smaller one; nothing was changed."}}
	}
	if f.upload.Avatar == nil {
		return nil
	}
	contentType, ext, err := checkAvatar(ctx, f.upload.Avatar)
	if err != nil {
		return &formError{Status: http.StatusUnprocessableEntity, Fields: map[string]string{"avatar": "The picture " + err.Error() + "."}}
	}
	f.avatarType, f.avatarExt = contentType, ext
	return nil
}

// Avatar is the checked picture with its content type and extension;
// data is nil when none was chosen. Call Validate first.
func (f *userForm) Avatar() (data []byte, contentType, ext string) {
	return f.upload.Avatar, f.avatarType, f.avatarExt
}

// Update is the profile update the form asks for: every text field, and
// the picture's new key when one was stored ("" leaves it).
func (f *userForm) Update(avatarKey string) contract.UserUpdate {
	upd := contract.UserUpdate{Name: &f.Name, Username: &f.Username, Email: &f.Email, Bio: &f.Bio}
	if avatarKey != "" {
		upd.Avatar = &avatarKey
	}
	return upd
}

// Cut reports whether the body was cut short (the picture was far over
// the limit), so fields after it never arrived.
func (f *userForm) Cut() bool { return f.upload.Partial }

// Shown is the profile the form shows again after a refusal: what was
// typed, over the user's id and current avatar. Of a body cut short
// (the picture was far too big), the fields that never arrived show
// their saved values from saved, when it could be read.
func (f *userForm) Shown(id int64, avatar string, saved *contract.User) contract.User {
	u := contract.User{ID: id, Avatar: avatar, Name: f.Name, Username: f.Username, Email: f.Email, Bio: f.Bio}
	if !f.upload.Partial || saved == nil {
		return u
	}
	keep := func(key string, dst *string, saved string) {
		if !f.upload.Fields.Has(key) {
			*dst = saved
		}
	}
	keep("name", &u.Name, saved.Name)
	keep("username", &u.Username, saved.Username)
	keep("email", &u.Email, saved.Email)
	keep("bio", &u.Bio, saved.Bio)
	return u
}

package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
)

// postedUserForm reads a multipart profile form holding the text fields
// and, when picture is not nil, the picture last (as the page sends it).
func postedUserForm(t *testing.T, fields map[string]string, picture []byte, avatarMax int64) *userForm {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if picture != nil {
		fw, _ := mw.CreateFormFile("avatar", "me.png")
		_, _ = fw.Write(picture)
	}
	_ = mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/update-user", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	f, err := readUserForm(httptest.NewRecorder(), r, avatarMax)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestUserFormValidate(t *testing.T) {
	picture := encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) }, testImage(4, 4))
	text := map[string]string{"name": "  Ada ", "username": "ada", "email": "ada@example.test", "bio": "hi"}

	f := postedUserForm(t, text, nil, 1<<20)
	if err := f.Validate(context.Background(), 1<<20); err != nil {
		t.Errorf("no picture: %v", err)
	}
	upd := f.Update("")
	if *upd.Name != "Ada" || upd.Avatar != nil {
		t.Errorf("update without a picture = name %q avatar %v, want the trimmed name and no avatar", *upd.Name, upd.Avatar)
	}

	f = postedUserForm(t, text, picture, 1<<20)
	if err := f.Validate(context.Background(), 1<<20); err != nil {
		t.Fatalf("a small PNG: %v", err)
	}
	if data, ct, ext := f.Avatar(); !bytes.Equal(data, picture) || ct != "image/png" || ext != ".png" {
		t.Errorf("Avatar() = %d bytes %q %q", len(data), ct, ext)
	}
	if upd := f.Update("avatars/1/x.png"); upd.Avatar == nil || *upd.Avatar != "avatars/1/x.png" {
		t.Errorf("update with a stored picture: avatar %v", upd.Avatar)
	}

	var fe *formError
	f = postedUserForm(t, text, picture, 10)
	if err := f.Validate(context.Background(), 10); !errors.As(err, &fe) || fe.Status != http.StatusRequestEntityTooLarge || fe.Fields["avatar"] == "" {
		t.Errorf("a picture over the limit: %v, want 413 with an avatar field error", err)
	}
	f = postedUserForm(t, text, []byte("not a picture"), 1<<20)
	if err := f.Validate(context.Background(), 1<<20); !errors.As(err, &fe) || fe.Status != http.StatusUnprocessableEntity ||
		fe.Fields["avatar"] != "The picture "+errAvatarType.Error()+"." {
		t.Errorf("not a picture: %v (%v), want 422 with the avatar's reason", err, fe)
	}
}

func TestUserFormShownKeepsSavedFieldsThatNeverArrived(t *testing.T) {
	f := postedUserForm(t, map[string]string{"name": "New name"}, nil, 1<<20)
	saved := &contract.User{Name: "Old", Username: "ada", Email: "ada@example.test", Bio: "saved bio"}
	if got := f.Shown(7, "avatars/7/a.png", saved); got.Username != "" || got.Name != "New name" || got.ID != 7 {
		t.Errorf("a whole form shows what was typed: %+v", got)
	}
	f.upload.Partial = true // the body was cut after the name
	got := f.Shown(7, "avatars/7/a.png", saved)
	if got.Name != "New name" || got.Username != "ada" || got.Email != "ada@example.test" || got.Bio != "saved bio" || got.Avatar != "avatars/7/a.png" {
		t.Errorf("a cut form: %+v, want the typed name and the saved rest", got)
	}
}

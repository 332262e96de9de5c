package tests

import (
	"context"
	"errors"
	"image/color"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/internal/stack"
	"github.com/coolroom/testbed/internal/testimages"
	"github.com/coolroom/testbed/lambda/contract"
)

// dataAPIAs logs v in through the data API itself (not the app) and
// returns a client holding v's token: what an attacker scripting the API
// with their own account has.
func dataAPIAs(t testing.TB, st *stack.Stack, v *visitor) *dataapi.Client {
	t.Helper()
	return dataapi.New(st.Deploy.InvokeURL, nil).As(dataAPIToken(t, st, v))
}

// dataAPIToken logs v in through the data API and returns the token.
func dataAPIToken(t testing.TB, st *stack.Stack, v *visitor) string {
	t.Helper()
	res, err := dataapi.New(st.Deploy.InvokeURL, nil).Login(context.Background(), contract.Credentials{Email: v.Email, Password: v.Password})
	if err != nil {
		t.Fatalf("log %s in through the data API: %v", v.Username, err)
	}
	return res.Token
}

// avatarKeyOf is the S3 key of the avatar v's profile page shows.
func avatarKeyOf(t testing.TB, v *visitor) string {
	t.Helper()
	src, _ := v.page("/profile/"+strconv.FormatInt(v.ID, 10), http.StatusOK).Find("#profile-avatar").Attr("src")
	if !strings.HasPrefix(src, "/avatars/") {
		t.Fatalf("profile avatar src %q", src)
	}
	return strings.TrimPrefix(src, "/")
}

// TestAvatarUploadsCannotDeleteOtherObjects: a user pointed their own
// profile's avatar at someone else's avatar or a static file through the
// data API, then uploaded a picture through the app, which deleted "the
// previous avatar". The data service now refuses such keys and the app
// deletes only the uploader's own avatar keys.
func TestAvatarUploadsCannotDeleteOtherObjects(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	carol, dave := registered(t, st.AppURL, "carol"), registered(t, st.AppURL, "dave")
	resp := carol.postFile("/update-user", profileForm(carol), "avatar", "c.png", pngBytes(t, 16, 16, color.White))
	if readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("carol's upload = %d", resp.StatusCode)
	}
	carolsKey := avatarKeyOf(t, carol)
	if want := "avatars/" + strconv.FormatInt(carol.ID, 10) + "/"; !strings.HasPrefix(carolsKey, want) {
		t.Errorf("carol's avatar key %q is not under %s", carolsKey, want)
	}
	css, _ := dave.page("/", http.StatusOK).Find(`link[rel="stylesheet"]`).Attr("href")
	staticKey := strings.TrimPrefix(css, "/")
	headObject(t, st, staticKey)

	api := dataAPIAs(t, st, dave)
	for _, key := range []string{carolsKey, staticKey} {
		_, err := api.UpdateUser(context.Background(), dave.ID, contract.UserUpdate{Avatar: &key})
		var e *contract.Error
		if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity || e.Fields["avatar"] == "" {
			t.Errorf("PATCH dave's avatar to %q: %v, want 422 with fields.avatar", key, err)
		}
	}
	resp = dave.postFile("/update-user", profileForm(dave), "avatar", "d.png", pngBytes(t, 16, 16, color.Black))
	if readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dave's upload = %d", resp.StatusCode)
	}
	headObject(t, st, carolsKey)
	headObject(t, st, staticKey)
	if got := avatarKeyOf(t, carol); got != carolsKey {
		t.Errorf("carol's avatar is now %q", got)
	}
}

// TestAvatarDecodeBombIsRefused: a 130 KB PNG declaring 4096×4096 16-bit
// RGBA (128 MiB once decoded) gets the form back with a field error,
// and the profile keeps its avatar.
func TestAvatarDecodeBombIsRefused(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	erin := registered(t, st.AppURL, "erin")
	resp := erin.postFile("/update-user", profileForm(erin), "avatar", "bomb.png", testimages.PNGBomb(4096, 4096))
	doc := parse(t, readAll(t, resp))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	if got := doc.Find("#avatar-error").Text(); !strings.Contains(got, "too many pixels") {
		t.Errorf("avatar field error %q", got)
	}
	src, _ := erin.page("/profile/"+strconv.FormatInt(erin.ID, 10), http.StatusOK).Find("#profile-avatar").Attr("src")
	if !strings.HasPrefix(src, "/static/avatar.") {
		t.Errorf("avatar after a refused upload: %q", src)
	}
}

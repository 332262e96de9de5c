package router_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// TestAvatarKeysAreTheUsersOwn: a user could set their avatar to any key
// (another user's avatar, a static file), which the web app then deleted
// as "the previous avatar" on the next upload. Only "" and keys under the
// user's own avatars/<id>/ prefix, in the shape the app issues, are kept.
func TestAvatarKeysAreTheUsersOwn(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice, bob := s.register(t, "alice"), s.register(t, "bob")
	path := fmt.Sprintf("/users/%d", alice.user.ID)
	own := fmt.Sprintf("avatars/%d/0123456789abcdef0123456789abcdef.png", alice.user.ID)
	patch := func(key string) response {
		return s.doAuth(t, alice.token, "PATCH", path, strings.NewReader(`{"avatar":"`+key+`"}`))
	}
	if r := patch(own); r.status != 200 {
		t.Fatalf("own key: %d %s", r.status, r.body)
	}
	for name, key := range map[string]string{
		"another user's avatar": fmt.Sprintf("avatars/%d/0123456789abcdef0123456789abcdef.png", bob.user.ID),
		"a static file":         "static/style.0123456789.css",
		"the avatar prefix":     "avatars/",
		"a legacy key":          "avatars/0123456789abcdef0123456789abcdef.png",
		"own prefix, traversal": fmt.Sprintf("avatars/%d/../%d/0123456789abcdef0123456789abcdef.png", alice.user.ID, bob.user.ID),
		"own prefix, not ours":  fmt.Sprintf("avatars/%d/index.html", alice.user.ID),
		"leading zero id":       fmt.Sprintf("avatars/0%d/0123456789abcdef0123456789abcdef.png", alice.user.ID),
		"id prefix of another":  fmt.Sprintf("avatars/%d1/0123456789abcdef0123456789abcdef.png", alice.user.ID),
	} {
		t.Run(name, func(t *testing.T) {
			patch(key).checkError(t, 422, contract.CodeValidationFailed, map[string]string{"avatar": service.AvatarKeyRule})
		})
	}
	var u contract.User
	s.doAuth(t, alice.token, "GET", path, nil).decode(t, &u)
	if u.Avatar != own {
		t.Errorf("avatar after refused updates = %q, want %q", u.Avatar, own)
	}
	if r := patch(""); r.status != 200 {
		t.Errorf("back to the default: %d %s", r.status, r.body)
	}
}

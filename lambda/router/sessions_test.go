package router_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
)

// sessionID is the session a token names (v2.<user>.<session>.<exp>.<mac>).
func sessionID(t testing.TB, token string) int64 {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 5 {
		t.Fatalf("token %q has %d parts", token, len(parts))
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestLogoutEndsTheToken: a token kept (copied) from before a logout used
// to work for its whole 24 h. DELETE /sessions/current ends it for every
// route that looks at tokens; the user's other sessions go on.
func TestLogoutEndsTheToken(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice := s.register(t, "alice")
	var again contract.AuthResult
	r := s.do(t, "POST", "/sessions", strings.NewReader(`{"email":"alice@example.test","password":"a-Good-passphrase-1"}`))
	r.decode(t, &again)
	if again.Token == alice.token || sessionID(t, again.Token) == sessionID(t, alice.token) {
		t.Fatal("a second login reused the first session")
	}
	me := fmt.Sprintf("/users/%d", alice.user.ID)
	if r := s.doAuth(t, alice.token, "GET", me, nil); r.status != 200 {
		t.Fatalf("before logout: %d %s", r.status, r.body)
	}

	if r := s.doAuth(t, alice.token, "DELETE", "/sessions/current", nil); r.status != 204 || len(r.body) != 0 {
		t.Fatalf("logout = %d %q, want 204 and no body", r.status, r.body)
	}
	for _, c := range []struct{ method, path, body string }{
		{"GET", me, ""},
		{"PATCH", me, `{"bio":"still here?"}`},
		{"POST", "/rooms", `{"name":"after logout","topic":"t"}`},
		{"DELETE", "/sessions/current", ""},
	} {
		var body *strings.Reader
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		var r response
		if body != nil {
			r = s.doAuth(t, alice.token, c.method, c.path, body)
		} else {
			r = s.doAuth(t, alice.token, c.method, c.path, nil)
		}
		r.checkError(t, 401, contract.CodeUnauthorized, nil)
		if r.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s: 401 without WWW-Authenticate", c.method, c.path)
		}
	}
	// The other login is untouched, and nothing was changed by the dead one.
	var u contract.User
	r = s.doAuth(t, again.Token, "GET", me, nil)
	if r.status != 200 {
		t.Fatalf("the other session after logout: %d %s", r.status, r.body)
	}
	r.decode(t, &u)
	if u.Bio != "" || u.RoomsHosted != 0 {
		t.Errorf("the ended session changed the profile: %+v", u)
	}
	// Anonymous and malformed logouts are refused.
	s.do(t, "DELETE", "/sessions/current", nil).checkError(t, 401, contract.CodeUnauthorized, nil)
	s.doAuth(t, "nope", "DELETE", "/sessions/current", nil).checkError(t, 401, contract.CodeUnauthorized, nil)
	if r := s.doAuth(t, again.Token, "GET", "/sessions/current", nil); r.status != 405 || r.header.Get("Allow") != "DELETE" {
		t.Errorf("GET /sessions/current = %d Allow %q", r.status, r.header.Get("Allow"))
	}
}

// TestEmailChangeLogsOutEverywhereElse: after a changed email, every other
// session of the user is refused; the session that made the change goes
// on. A profile update that keeps the email ends nothing.
func TestEmailChangeLogsOutEverywhereElse(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice := s.register(t, "alice")
	login := func(email string) string {
		var res contract.AuthResult
		s.do(t, "POST", "/sessions", strings.NewReader(`{"email":"`+email+`","password":"a-Good-passphrase-1"}`)).decode(t, &res)
		return res.Token
	}
	laptop, phone := login("alice@example.test"), login("alice@example.test")
	me := fmt.Sprintf("/users/%d", alice.user.ID)
	for _, body := range []string{`{"bio":"hi"}`, `{"email":"alice@example.test"}`} {
		if r := s.doAuth(t, laptop, "PATCH", me, strings.NewReader(body)); r.status != 200 {
			t.Fatalf("%s: %d %s", body, r.status, r.body)
		}
	}
	if r := s.doAuth(t, phone, "GET", me, nil); r.status != 200 {
		t.Fatalf("an update that kept the email ended another session: %d", r.status)
	}

	if r := s.doAuth(t, laptop, "PATCH", me, strings.NewReader(`{"email":"alice@new.example"}`)); r.status != 200 {
		t.Fatalf("email change: %d %s", r.status, r.body)
	}
	for _, tok := range []string{phone, alice.token} {
		s.doAuth(t, tok, "GET", me, nil).checkError(t, 401, contract.CodeUnauthorized, nil)
	}
	if r := s.doAuth(t, laptop, "GET", me, nil); r.status != 200 {
		t.Errorf("the session that changed the email: %d %s", r.status, r.body)
	}
	// The store agrees: one session left.
	var n int
	if err := connect(t, s).QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE user_id = $1`, alice.user.ID).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d sessions left (%v), want 1", n, err)
	}
}

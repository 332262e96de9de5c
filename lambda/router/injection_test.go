package router_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/coolroom/testbed/lambda/contract"
)

// injectionCorpus is hostile input: SQL metacharacters and statements,
// LIKE wildcards, comments, unicode oddities, NUL bytes and long strings.
var injectionCorpus = []string{
	`'`, `''`, `"`, `\`, `\'`, `%`, `_`, `%_%`, `\%`,
	`'; DROP TABLE rooms; --`, `Robert'); DROP TABLE users;--`, `' OR '1'='1`, `" OR 1=1 --`, `1 OR 1=1`,
	`1; DELETE FROM messages`, `/* comment */`, `-- comment`, `#`, `$1`, `$$; DROP TABLE topics; $$`,
	`E'\\x00'`, `'||(SELECT password_hash FROM users LIMIT 1)||'`, `) UNION SELECT * FROM users --`,
	"日本語 ✓ 🚀", "\u202eevil", "e\u0301", "ﬁ", "Ωmega ǅ", "\x00", "a\x00b", "\x1b[31mred",
	strings.Repeat("x", 5000), strings.Repeat("'", 300),
}

// validLine mirrors the single-line rule: ≤ limit characters, no control
// characters, not blank.
func validLine(v string, limit int) bool {
	if strings.TrimSpace(v) == "" || utf8.RuneCountInString(v) > limit {
		return false
	}
	return !strings.ContainsFunc(v, unicode.IsControl)
}

func TestInjectionCorpus(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice := s.register(t, "alice")
	conn := connect(t, s)
	ctx := context.Background()
	schema := func() string {
		var out string
		err := conn.QueryRow(ctx, `SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name)
FROM information_schema.columns WHERE table_schema = 'public'`).Scan(&out)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := schema()

	// noServerError is checked on every response: hostile input is the
	// client's error or literal data, never a failure.
	check := func(t *testing.T, what string, r response) {
		t.Helper()
		if r.status >= 500 {
			t.Errorf("%s: %d %s", what, r.status, r.body)
		}
	}
	send := func(t *testing.T, token, method, path string, body any) response {
		t.Helper()
		var b *bytes.Reader
		if body != nil {
			raw, _ := json.Marshal(body)
			b = bytes.NewReader(raw)
		}
		var r response
		if b != nil {
			r = s.doAuth(t, token, method, path, b)
		} else {
			r = s.doAuth(t, token, method, path, nil)
		}
		check(t, method+" "+path, r)
		return r
	}

	rooms := 0
	for i, v := range injectionCorpus {
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			q := url.QueryEscape(v)

			// Room fields: stored and returned literally, or refused.
			r := send(t, alice.token, "POST", "/rooms", contract.NewRoom{Name: v, Description: v, Topic: v})
			okRoom := validLine(v, 200)
			if okRoom != (r.status == 201) || !okRoom && r.status != 422 {
				t.Fatalf("create room %q: %d %s", v, r.status, r.body)
			}
			if okRoom {
				rooms++
				var room contract.Room
				r.decode(t, &room)
				var d contract.RoomDetail
				send(t, "", "GET", fmt.Sprintf("/rooms/%d", room.ID), nil).decode(t, &d)
				if d.Room.Name != v || d.Room.Description != v || !strings.EqualFold(d.Room.Topic.Name, v) {
					t.Errorf("stored %q as %q / %q / %q", v, d.Room.Name, d.Room.Description, d.Room.Topic.Name)
				}
				// Search finds it, and only rooms that really contain
				// v: wildcards are literal.
				var p contract.RoomPage
				send(t, "", "GET", "/rooms?q="+q, nil).decode(t, &p)
				found := false
				for _, got := range p.Rooms {
					found = found || got.ID == room.ID
					hay := strings.ToLower(got.Name + "\x00" + got.Description + "\x00" + got.Topic.Name + "\x00" + got.Host.Username)
					if !strings.Contains(hay, strings.ToLower(v)) {
						t.Errorf("q=%q matched %q", v, got.Name)
					}
				}
				if !found {
					t.Errorf("q=%q did not find its room", v)
				}
				// A message with it as body; its update too.
				mr := send(t, alice.token, "POST", fmt.Sprintf("/rooms/%d/messages", room.ID), contract.NewMessage{Body: v})
				var m contract.Message
				mr.decode(t, &m)
				if mr.status != 201 || m.Body != v {
					t.Errorf("message %q: %d %q", v, mr.status, m.Body)
				}
				ur := send(t, alice.token, "PATCH", fmt.Sprintf("/rooms/%d", room.ID), contract.RoomUpdate{Name: &v, Description: &v, Topic: &v})
				if ur.status != 200 {
					t.Errorf("update room with %q: %d %s", v, ur.status, ur.body)
				}
			}

			// Message bodies in a fresh room (multi-line, up to 10000).
			r = send(t, alice.token, "POST", "/rooms/1/messages", contract.NewMessage{Body: v})
			if r.status != 201 && r.status != 404 && r.status != 422 {
				t.Errorf("message %q: %d", v, r.status)
			}

			// Profile fields.
			r = send(t, alice.token, "PATCH", fmt.Sprintf("/users/%d", alice.user.ID), contract.UserUpdate{Name: &v, Bio: &v})
			if validLine(v, 200) && r.status != 200 || !validLine(v, 200) && r.status != 422 {
				t.Errorf("update profile %q: %d %s", v, r.status, r.body)
			} else if r.status == 200 {
				var u contract.User
				r.decode(t, &u)
				if u.Name != v || u.Bio != v {
					t.Errorf("profile stored %q as %q / %q", v, u.Name, u.Bio)
				}
			}
			for _, field := range []string{"username", "email", "avatar"} {
				body := map[string]string{field: v}
				r = send(t, alice.token, "PATCH", fmt.Sprintf("/users/%d", alice.user.ID), body)
				if r.status != 422 && r.status != 200 {
					t.Errorf("update %s %q: %d %s", field, v, r.status, r.body)
				}
			}

			// Registration and login with it in every field.
			for _, nu := range []contract.NewUser{
				{Name: v, Username: "u" + fmt.Sprint(i) + "x", Email: fmt.Sprintf("u%d@example.test", i), Password: "a-Good-passphrase-1" + v},
				{Name: "n", Username: v, Email: v, Password: v},
			} {
				r = send(t, "", "POST", "/users", nu)
				if r.status != 201 && r.status != 422 && r.status != 409 {
					t.Errorf("register %+v: %d %s", nu, r.status, r.body)
				}
			}
			r = send(t, "", "POST", "/sessions", contract.Credentials{Email: v, Password: v})
			if r.status != 401 && r.status != 422 {
				t.Errorf("login %q: %d %s", v, r.status, r.body)
			}

			// Query parameters and path segments.
			for _, path := range []string{"/rooms?q=", "/messages?q=", "/topics?q="} {
				r = send(t, "", "GET", path+q, nil)
				if r.status != 200 && r.status != 400 {
					t.Errorf("GET %s%q: %d", path, v, r.status)
				}
			}
			for _, p := range []struct{ path, field, rule string }{
				{"/rooms?page=", "page", "must be a positive integer"},
				{"/rooms?host=", "host", "must be a positive integer"},
				{"/messages?user=", "user", "must be a positive integer"},
				{"/messages?page=", "page", "must be a positive integer"},
				{"/rooms/1/messages?after=", "after", "must be a non-negative integer"},
			} {
				send(t, "", "GET", p.path+q, nil).checkError(t, 400, contract.CodeBadRequest, map[string]string{p.field: p.rule})
			}
			for _, path := range []string{"/rooms/", "/users/", "/messages/"} {
				req, _ := http.NewRequest("GET", s.URL+path+url.PathEscape(v), nil)
				res, err := s.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 404 {
					t.Errorf("GET %s%q: %d", path, v, res.StatusCode)
				}
			}
			// As a token.
			// (HTTP itself forbids control characters in headers.)
			if !strings.ContainsFunc(v, unicode.IsControl) {
				r = send(t, v, "POST", "/rooms", contract.NewRoom{Name: "n", Topic: "t"})
				if r.status != 401 {
					t.Errorf("token %q: %d", v, r.status)
				}
			}
		})
	}

	if after := schema(); after != before {
		t.Errorf("schema changed:\n%s\n%s", before, after)
	}
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM rooms`).Scan(&n); err != nil || n != rooms {
		t.Errorf("%d rooms, want %d (%v)", n, rooms, err)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM users WHERE username = 'alice'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("alice rows %d (%v)", n, err)
	}
}

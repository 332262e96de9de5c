package router_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	r := s.do(t, "GET", "/health", nil)
	if r.status != 200 || string(r.body) != "{\"status\":\"ok\"}\n" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /health = %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	// With the database gone, health says so and nothing leaks.
	s.store.Close()
	r = s.do(t, "GET", "/health", nil)
	r.checkError(t, 503, contract.CodeUnavailable, nil)
	if strings.Contains(string(r.body), "closed") {
		t.Errorf("body leaks the cause: %s", r.body)
	}
}

// fixture is a small world: alice hosts "Learn Go" (Go) and "SQL tips"
// (Databases), bob hosts "Postgres internals" (databases, so the same
// topic); bob then posts in "Learn Go", which makes him a participant and
// moves that room to the top.
type fixture struct {
	s                *testServer
	alice, bob, eve  account
	learnGo, sqlTips contract.Room
	postgres         contract.Room
	bobsMsg          contract.Message
	tokens           map[string]string
}

func newFixture(t *testing.T) *fixture {
	s := newServer(t)
	f := &fixture{s: s}
	f.alice, f.bob, f.eve = s.register(t, "alice"), s.register(t, "bob"), s.register(t, "eve")
	f.learnGo = s.mustCreateRoom(t, f.alice, "Learn Go", "channels", "Go")
	f.sqlTips = s.mustCreateRoom(t, f.alice, "SQL tips", "50% faster queries", "Databases")
	f.postgres = s.mustCreateRoom(t, f.bob, "Postgres internals", "MVCC", "databases")
	f.bobsMsg = s.mustPost(t, f.bob, f.learnGo.ID, "hello from bob")

	// Forged and expired tokens name alice's real, live session.
	sid := sessionID(t, f.alice.token)
	other, _ := service.NewTokenSigner([]byte("some-other-secret-16+"), time.Hour)
	forged := other.Issue(f.alice.user.ID, sid, time.Now().Add(time.Hour))
	same, _ := service.NewTokenSigner(testSecret, time.Hour)
	expired := same.Issue(f.alice.user.ID, sid, time.Now().Add(-time.Hour))
	f.tokens = map[string]string{
		"": "", "alice": f.alice.token, "bob": f.bob.token, "eve": f.eve.token,
		"forged": forged, "expired": expired, "malformed": "not-a-token",
		"tampered": strings.Replace(f.alice.token, fmt.Sprintf(".%d.", f.alice.user.ID), fmt.Sprintf(".%d.", f.bob.user.ID), 1),
	}
	return f
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	s := f.s
	newest := []string{"Learn Go", "Postgres internals", "SQL tips"}
	big := `{"name":"` + strings.Repeat("x", 70<<10) + `","topic":"t"}`
	room := func(id int64, rest string) string { return fmt.Sprintf("/rooms/%d%s", id, rest) }
	user := func(a account) string { return fmt.Sprintf("/users/%d", a.user.ID) }
	msg := fmt.Sprintf("/messages/%d", f.bobsMsg.ID)

	type roomsWant struct {
		names []string
		total int
		page  int
	}
	tests := []struct {
		name, as, method, path, body string
		status                       int
		code                         contract.ErrorCode
		fields                       map[string]string
		rooms                        *roomsWant
		check                        func(t *testing.T, r response) // for other successes
		allow                        string
	}{
		// GET /rooms
		{name: "list all", method: "GET", path: "/rooms", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "list ignores a bad token", as: "forged", method: "GET", path: "/rooms", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "search topic", method: "GET", path: "/rooms?q=DATABASES", status: 200, rooms: &roomsWant{newest[1:], 2, 1}},
		{name: "search name", method: "GET", path: "/rooms?q=learn", status: 200, rooms: &roomsWant{newest[:1], 1, 1}},
		{name: "search description", method: "GET", path: "/rooms?q=mvcc", status: 200, rooms: &roomsWant{newest[1:2], 1, 1}},
		{name: "search host", method: "GET", path: "/rooms?q=ALIC", status: 200, rooms: &roomsWant{[]string{"Learn Go", "SQL tips"}, 2, 1}},
		{name: "search percent literally", method: "GET", path: "/rooms?q=%25", status: 200, rooms: &roomsWant{[]string{"SQL tips"}, 1, 1}},
		{name: "search underscore literally", method: "GET", path: "/rooms?q=_", status: 200, rooms: &roomsWant{[]string{}, 0, 1}},
		{name: "search backslash literally", method: "GET", path: "/rooms?q=%5C", status: 200, rooms: &roomsWant{[]string{}, 0, 1}},
		{name: "by host", method: "GET", path: fmt.Sprintf("/rooms?host=%d", f.bob.user.ID), status: 200, rooms: &roomsWant{newest[1:2], 1, 1}},
		{name: "by host and q", method: "GET", path: fmt.Sprintf("/rooms?host=%d&q=sql", f.alice.user.ID), status: 200, rooms: &roomsWant{newest[2:], 1, 1}},
		{name: "by unknown host", method: "GET", path: "/rooms?host=999999", status: 200, rooms: &roomsWant{[]string{}, 0, 1}},
		{name: "page past the end", method: "GET", path: "/rooms?page=2", status: 200, rooms: &roomsWant{[]string{}, 3, 2}},
		{name: "explicit page 1", method: "GET", path: "/rooms?page=1&q=", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "page 0", method: "GET", path: "/rooms?page=0", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page not a number", method: "GET", path: "/rooms?page=two", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page overflows", method: "GET", path: "/rooms?page=99999999999999999999", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page too far", method: "GET", path: "/rooms?page=1000001", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be an integer between 1 and 1000000"}},
		{name: "host not a number", method: "GET", path: "/rooms?host=alice", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"host": "must be a positive integer"}},
		{name: "q with NUL", method: "GET", path: "/rooms?q=a%00b", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},
		{name: "q not UTF-8", method: "GET", path: "/rooms?q=%ff", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},
		{name: "q too long", method: "GET", path: "/rooms?q=" + strings.Repeat("a", 201), status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must be at most 200 characters"}},

		// POST /rooms
		{name: "create: anonymous", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "create: forged token", as: "forged", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "create: tampered token", as: "tampered", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "create: expired token", as: "expired", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "create: malformed token", as: "malformed", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "create: host is not settable", as: "eve", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t","host_id":1}`, status: 400, code: contract.CodeBadRequest},
		{name: "create: empty object", as: "eve", method: "POST", path: "/rooms", body: `{}`, status: 422, code: contract.CodeValidationFailed,
			fields: map[string]string{"name": "is required", "topic": "is required"}},
		{name: "create: blank and too long", as: "eve", method: "POST", path: "/rooms",
			body:   `{"name":"   ","topic":"` + strings.Repeat("t", 201) + `","description":"` + strings.Repeat("d", 2001) + `"}`,
			status: 422, code: contract.CodeValidationFailed,
			fields: map[string]string{"name": "is required", "topic": "must be at most 200 characters",
				"description": "must be at most 2000 characters"}},
		{name: "create: NUL in name", as: "eve", method: "POST", path: "/rooms", body: `{"name":"a\u0000b","topic":"t"}`,
			status: 422, code: contract.CodeValidationFailed, fields: map[string]string{"name": "must not contain control characters"}},
		{name: "create: malformed JSON", as: "eve", method: "POST", path: "/rooms", body: `{"name":`, status: 400, code: contract.CodeBadRequest},
		{name: "create: empty body", as: "eve", method: "POST", path: "/rooms", body: ``, status: 400, code: contract.CodeBadRequest},
		{name: "create: array", as: "eve", method: "POST", path: "/rooms", body: `[]`, status: 400, code: contract.CodeBadRequest},
		{name: "create: wrong type", as: "eve", method: "POST", path: "/rooms", body: `{"name":5,"topic":"t"}`, status: 400,
			code: contract.CodeBadRequest, fields: map[string]string{"name": "must be a string"}},
		{name: "create: two objects", as: "eve", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"} {}`, status: 400, code: contract.CodeBadRequest},
		{name: "create: too large", as: "eve", method: "POST", path: "/rooms", body: big, status: 413, code: contract.CodeTooLarge},

		// GET /rooms/{id}
		{name: "room detail", method: "GET", path: room(f.learnGo.ID, ""), status: 200, check: func(t *testing.T, r response) {
			var d contract.RoomDetail
			r.decode(t, &d)
			if d.Room.Name != "Learn Go" || d.Room.Host.Username != "alice" || d.Room.Participants != 1 ||
				len(d.Messages) != 1 || d.Messages[0].Body != "hello from bob" || d.Messages[0].User.Username != "bob" ||
				len(d.Participants) != 1 || d.Participants[0].Username != "bob" {
				t.Errorf("detail = %+v", d)
			}
		}},
		{name: "room detail, no messages", method: "GET", path: room(f.sqlTips.ID, ""), status: 200, check: func(t *testing.T, r response) {
			if !strings.Contains(string(r.body), `"messages":[],"has_earlier":false,"participants":[]`) {
				t.Errorf("body %s", r.body)
			}
		}},
		{name: "room unknown", method: "GET", path: "/rooms/999999", status: 404, code: contract.CodeNotFound},
		{name: "room id overflows", method: "GET", path: "/rooms/99999999999999999999", status: 404, code: contract.CodeNotFound},
		{name: "room id not a number", method: "GET", path: "/rooms/abc", status: 404, code: contract.CodeNotFound},

		// PATCH /rooms/{id}
		{name: "update: anonymous", method: "PATCH", path: room(f.sqlTips.ID, ""), body: `{"name":"x"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "update: not the host", as: "bob", method: "PATCH", path: room(f.sqlTips.ID, ""), body: `{"name":"x"}`, status: 403, code: contract.CodeForbidden},
		{name: "update: not the host, invalid body", as: "bob", method: "PATCH", path: room(f.sqlTips.ID, ""), body: `{"name":""}`, status: 403, code: contract.CodeForbidden},
		{name: "update: unknown room", as: "bob", method: "PATCH", path: "/rooms/999999", body: `{"name":"x"}`, status: 404, code: contract.CodeNotFound},
		{name: "update: invalid", as: "alice", method: "PATCH", path: room(f.sqlTips.ID, ""), body: `{"name":"","topic":" "}`, status: 422,
			code: contract.CodeValidationFailed, fields: map[string]string{"name": "is required", "topic": "is required"}},
		{name: "update: unknown field", as: "alice", method: "PATCH", path: room(f.sqlTips.ID, ""), body: `{"host":2}`, status: 400, code: contract.CodeBadRequest},

		// DELETE /rooms/{id}
		{name: "delete room: anonymous", method: "DELETE", path: room(f.postgres.ID, ""), status: 401, code: contract.CodeUnauthorized},
		{name: "delete room: not the host", as: "alice", method: "DELETE", path: room(f.postgres.ID, ""), status: 403, code: contract.CodeForbidden},
		{name: "delete room: unknown", as: "alice", method: "DELETE", path: "/rooms/999999", status: 404, code: contract.CodeNotFound},

		// GET/POST /rooms/{id}/messages
		{name: "poll all", method: "GET", path: room(f.learnGo.ID, "/messages"), status: 200, check: func(t *testing.T, r response) {
			var l contract.MessageList
			r.decode(t, &l)
			if len(l.Messages) != 1 || l.Messages[0].ID != f.bobsMsg.ID || l.Messages[0].Room.Name != "Learn Go" {
				t.Errorf("messages = %+v", l)
			}
		}},
		{name: "poll after the last", method: "GET", path: room(f.learnGo.ID, fmt.Sprintf("/messages?after=%d", f.bobsMsg.ID)), status: 200,
			check: func(t *testing.T, r response) {
				if string(r.body) != "{\"messages\":[],\"has_more\":false}\n" {
					t.Errorf("body %s", r.body)
				}
			}},
		{name: "poll bad after", method: "GET", path: room(f.learnGo.ID, "/messages?after=-1"), status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"after": "must be a non-negative integer"}},
		{name: "poll unknown room", method: "GET", path: "/rooms/999999/messages", status: 404, code: contract.CodeNotFound},
		{name: "post: anonymous", method: "POST", path: room(f.learnGo.ID, "/messages"), body: `{"body":"hi"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "post: expired", as: "expired", method: "POST", path: room(f.learnGo.ID, "/messages"), body: `{"body":"hi"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "post: empty", as: "eve", method: "POST", path: room(f.learnGo.ID, "/messages"), body: `{"body":"  "}`, status: 422,
			code: contract.CodeValidationFailed, fields: map[string]string{"body": "is required"}},
		{name: "post: too long", as: "eve", method: "POST", path: room(f.learnGo.ID, "/messages"), body: `{"body":"` + strings.Repeat("b", 10001) + `"}`,
			status: 422, code: contract.CodeValidationFailed, fields: map[string]string{"body": "must be at most 10000 characters"}},
		{name: "post: unknown room", as: "eve", method: "POST", path: "/rooms/999999/messages", body: `{"body":"hi"}`, status: 404, code: contract.CodeNotFound},
		{name: "post: wrong type", as: "eve", method: "POST", path: room(f.learnGo.ID, "/messages"), body: `{"body":true}`, status: 400,
			code: contract.CodeBadRequest, fields: map[string]string{"body": "must be a string"}},

		// GET/DELETE /messages/{id}
		{name: "message", method: "GET", path: msg, status: 200, check: func(t *testing.T, r response) {
			var m contract.Message
			r.decode(t, &m)
			if m.ID != f.bobsMsg.ID || m.Body != "hello from bob" || m.User.ID != f.bob.user.ID || m.Room.ID != f.learnGo.ID {
				t.Errorf("message = %+v", m)
			}
		}},
		{name: "message unknown", method: "GET", path: "/messages/999999", status: 404, code: contract.CodeNotFound},
		{name: "delete message: anonymous", method: "DELETE", path: msg, status: 401, code: contract.CodeUnauthorized},
		{name: "delete message: the room's host is not the author", as: "alice", method: "DELETE", path: msg, status: 403, code: contract.CodeForbidden},
		{name: "delete message: unknown", as: "bob", method: "DELETE", path: "/messages/999999", status: 404, code: contract.CodeNotFound},

		// GET /messages
		{name: "activity", method: "GET", path: "/messages", status: 200, check: func(t *testing.T, r response) {
			var p contract.MessagePage
			r.decode(t, &p)
			if p.Total != 1 || len(p.Messages) != 1 || p.Page != 1 || p.PerPage != 20 {
				t.Errorf("page = %+v", p)
			}
		}},
		{name: "activity by q (topic)", method: "GET", path: "/messages?q=go", status: 200, check: total(1)},
		{name: "activity by q (host)", method: "GET", path: "/messages?q=alice", status: 200, check: total(1)},
		{name: "activity by q, none", method: "GET", path: "/messages?q=databases", status: 200, check: total(0)},
		{name: "activity by user", method: "GET", path: "/messages?user=" + fmt.Sprint(f.bob.user.ID), status: 200, check: total(1)},
		{name: "activity by other user", method: "GET", path: "/messages?user=" + fmt.Sprint(f.alice.user.ID), status: 200, check: total(0)},
		{name: "activity bad user", method: "GET", path: "/messages?user=x", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"user": "must be a positive integer"}},
		{name: "activity bad page", method: "GET", path: "/messages?page=0", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "activity bad q", method: "GET", path: "/messages?q=%01", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},

		// GET /topics
		{name: "topics", method: "GET", path: "/topics", status: 200, check: topics([]string{"Databases", "Go"}, []int{2, 1})},
		{name: "topics search", method: "GET", path: "/topics?q=GO", status: 200, check: topics([]string{"Go"}, []int{1})},
		{name: "topics search none", method: "GET", path: "/topics?q=%25", status: 200, check: topics([]string{}, []int{})},
		{name: "topics bad q", method: "GET", path: "/topics?q=%01", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},

		// GET /home: the same checks as the listings it combines.
		{name: "home bad page", method: "GET", path: "/home?page=0", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "home bad q", method: "GET", path: "/home?q=%01", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},
		{name: "home page too far", method: "GET", path: "/home?page=1000001", status: 400, code: contract.CodeBadRequest,
			fields: map[string]string{"page": "must be an integer between 1 and 1000000"}},
		{name: "home, a page past the end", method: "GET", path: "/home?page=1000000", status: 200, check: func(t *testing.T, r response) {
			var h contract.HomePage
			r.decode(t, &h)
			if len(h.Rooms.Rooms) != 0 || h.Rooms.Total != 3 || h.Rooms.Page != 1000000 || h.Topics.TotalRooms != 3 || len(h.Activity) != 1 {
				t.Errorf("home = %+v", h)
			}
		}},
		{name: "wrong method on home", method: "POST", path: "/home", body: `{}`, status: 405, code: contract.CodeMethodNotAllowed, allow: "GET"},

		// Users
		{name: "profile, public", method: "GET", path: user(f.alice), status: 200, check: func(t *testing.T, r response) {
			var u contract.User
			r.decode(t, &u)
			if u.Username != "alice" || u.Name != "User alice" || u.Email != "" || u.RoomsHosted != 2 || u.Messages != 0 ||
				strings.Contains(string(r.body), "example.test") {
				t.Errorf("public profile = %s", r.body)
			}
		}},
		{name: "profile, someone else's token", as: "bob", method: "GET", path: user(f.alice), status: 200, check: func(t *testing.T, r response) {
			if strings.Contains(string(r.body), "email") {
				t.Errorf("email shown to another user: %s", r.body)
			}
		}},
		{name: "profile, own", as: "bob", method: "GET", path: user(f.bob), status: 200, check: func(t *testing.T, r response) {
			var u contract.User
			r.decode(t, &u)
			if u.Email != "bob@example.test" || u.RoomsHosted != 1 || u.Messages != 1 {
				t.Errorf("own profile = %s", r.body)
			}
		}},
		{name: "profile, expired token", as: "expired", method: "GET", path: user(f.alice), status: 401, code: contract.CodeUnauthorized},
		{name: "profile unknown", method: "GET", path: "/users/999999", status: 404, code: contract.CodeNotFound},
		{name: "update profile: anonymous", method: "PATCH", path: user(f.alice), body: `{"bio":"x"}`, status: 401, code: contract.CodeUnauthorized},
		{name: "update profile: someone else", as: "bob", method: "PATCH", path: user(f.alice), body: `{"bio":"x"}`, status: 403, code: contract.CodeForbidden},
		{name: "update profile: invalid", as: "alice", method: "PATCH", path: user(f.alice),
			body:   `{"name":"","username":"A B","email":"nope","bio":"` + strings.Repeat("b", 2001) + `","avatar":"../etc/passwd"}`,
			status: 422, code: contract.CodeValidationFailed, fields: map[string]string{
				"name": "is required", "username": "may contain only letters, digits and _ . -", "email": "must be a valid email address",
				"bio": "must be at most 2000 characters", "avatar": service.AvatarKeyRule}},
		{name: "update profile: username taken", as: "alice", method: "PATCH", path: user(f.alice), body: `{"username":"BOB"}`, status: 409,
			code: contract.CodeConflict, fields: map[string]string{"username": "is already taken"}},
		{name: "update profile: email taken", as: "alice", method: "PATCH", path: user(f.alice), body: `{"email":"Bob@Example.TEST"}`, status: 409,
			code: contract.CodeConflict, fields: map[string]string{"email": "is already registered"}},
		{name: "update profile: password is not here", as: "alice", method: "PATCH", path: user(f.alice), body: `{"password":"x"}`, status: 400, code: contract.CodeBadRequest},

		// Routing
		{name: "unknown route", method: "GET", path: "/nope", status: 404, code: contract.CodeNotFound},
		{name: "trailing slash", method: "GET", path: "/rooms/", status: 404, code: contract.CodeNotFound},
		{name: "root", method: "GET", path: "/", status: 404, code: contract.CodeNotFound},
		{name: "wrong method on rooms", method: "DELETE", path: "/rooms", status: 405, code: contract.CodeMethodNotAllowed, allow: "GET, POST"},
		{name: "wrong method on a room", method: "PUT", path: room(f.learnGo.ID, ""), status: 405, code: contract.CodeMethodNotAllowed, allow: "GET, PATCH, DELETE"},
		{name: "wrong method on messages", method: "POST", path: "/messages", body: `{}`, status: 405, code: contract.CodeMethodNotAllowed, allow: "GET"},
		{name: "wrong method on sessions", method: "GET", path: "/sessions", status: 405, code: contract.CodeMethodNotAllowed, allow: "POST"},
		{name: "wrong method on a user", method: "DELETE", path: user(f.alice), status: 405, code: contract.CodeMethodNotAllowed, allow: "GET, PATCH"},
		{name: "wrong method on topics", method: "POST", path: "/topics", body: `{}`, status: 405, code: contract.CodeMethodNotAllowed, allow: "GET"},
		{name: "wrong method on health", method: "PUT", path: "/health", status: 405, code: contract.CodeMethodNotAllowed, allow: "GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.method != "GET" && tc.method != "DELETE" || tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			token, ok := f.tokens[tc.as]
			if !ok {
				t.Fatalf("no token %q", tc.as)
			}
			r := s.doAuth(t, token, tc.method, tc.path, body)
			switch {
			case tc.code != "":
				r.checkError(t, tc.status, tc.code, tc.fields)
				if tc.allow != "" && r.header.Get("Allow") != tc.allow {
					t.Errorf("Allow = %q, want %q", r.header.Get("Allow"), tc.allow)
				}
				if tc.code == contract.CodeUnauthorized && r.header.Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			case tc.rooms != nil:
				var p contract.RoomPage
				r.decode(t, &p)
				if r.status != tc.status || !strings.Contains(string(r.body), `"rooms":[`) {
					t.Errorf("status %d body %s", r.status, r.body)
				}
				names := []string{}
				for _, room := range p.Rooms {
					names = append(names, room.Name)
				}
				if !slices.Equal(names, tc.rooms.names) || p.Total != tc.rooms.total || p.Page != tc.rooms.page || p.PerPage != 20 {
					t.Errorf("got %q total %d page %d per_page %d; want %q total %d page %d per_page 20",
						names, p.Total, p.Page, p.PerPage, tc.rooms.names, tc.rooms.total, tc.rooms.page)
				}
			case tc.check != nil:
				if r.status != tc.status || r.header.Get("Content-Type") != "application/json" {
					t.Fatalf("status %d (%s), want %d; body %s", r.status, r.header.Get("Content-Type"), tc.status, r.body)
				}
				tc.check(t, r)
			default:
				t.Fatal("bad test case")
			}
		})
	}
	// None of the rejected requests changed anything.
	var p contract.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &p)
	if p.Total != 3 || p.Rooms[2].Name != "SQL tips" || p.Rooms[2].Updated != f.sqlTips.Updated {
		t.Errorf("rooms after bad requests = %+v", p)
	}
	var u contract.User
	s.doAuth(t, f.alice.token, "GET", fmt.Sprintf("/users/%d", f.alice.user.ID), nil).decode(t, &u)
	if u.Username != "alice" || u.Email != "alice@example.test" || u.Bio != "" || u.Avatar != "" || u.Name != "User alice" {
		t.Errorf("alice after bad updates = %+v", u)
	}
	if r := s.do(t, "GET", fmt.Sprintf("/messages/%d", f.bobsMsg.ID), nil); r.status != 200 {
		t.Errorf("bob's message after bad deletes: %d", r.status)
	}
}

func total(n int) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		var p contract.MessagePage
		r.decode(t, &p)
		if p.Total != n || len(p.Messages) != n {
			t.Errorf("total %d, %d messages; want %d", p.Total, len(p.Messages), n)
		}
	}
}

func topics(names []string, rooms []int) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		var l contract.TopicList
		r.decode(t, &l)
		gotNames, gotRooms := []string{}, []int{}
		for _, tp := range l.Topics {
			gotNames = append(gotNames, tp.Name)
			gotRooms = append(gotRooms, tp.Rooms)
		}
		if !slices.Equal(gotNames, names) || !slices.Equal(gotRooms, rooms) || l.TotalRooms != 3 {
			t.Errorf("got %q %v total %d; want %q %v total 3", gotNames, gotRooms, l.TotalRooms, names, rooms)
		}
	}
}

func TestCreateRoom(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice := s.register(t, "alice")
	r := s.doAuth(t, alice.token, "POST", "/rooms", strings.NewReader(`{"name":"  Learn Go ","description":"Goroutines","topic":"Go"}`))
	if r.status != 201 {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	var room contract.Room
	r.decode(t, &room)
	if room.ID == 0 || room.Name != "Learn Go" || room.Description != "Goroutines" || room.Participants != 0 {
		t.Errorf("room = %+v", room)
	}
	if room.Topic.ID == 0 || room.Topic.Name != "Go" || room.Topic.Rooms != 1 {
		t.Errorf("topic = %+v", room.Topic)
	}
	// The host is the caller, whatever else exists.
	if room.Host != alice.user.Summary() {
		t.Errorf("host = %+v, want %+v", room.Host, alice.user.Summary())
	}
	if time.Since(room.Created) > time.Minute || !room.Updated.Equal(room.Created) {
		t.Errorf("created %v updated %v", room.Created, room.Updated)
	}
	if loc := r.header.Get("Location"); loc != fmt.Sprintf("/rooms/%d", room.ID) {
		t.Errorf("Location = %q", loc)
	}
	// The exact wire keys.
	var keys map[string]json.RawMessage
	_ = json.Unmarshal(r.body, &keys)
	want := []string{"created", "description", "host", "id", "name", "participants", "topic", "updated"}
	got := []string{}
	for k := range keys {
		got = append(got, k)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("room keys = %v, want %v", got, want)
	}

	// Description is optional; a differently-cased topic reuses the
	// first spelling.
	r = s.doAuth(t, alice.token, "POST", "/rooms", strings.NewReader(`{"name":"More Go","topic":"gO"}`))
	var second contract.Room
	r.decode(t, &second)
	if r.status != 201 || second.Topic.ID != room.Topic.ID || second.Topic.Name != "Go" || second.Topic.Rooms != 2 {
		t.Errorf("second room: %d %+v", r.status, second)
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := s.register(t, "alice")
	for i := range 25 {
		s.mustCreateRoom(t, a, fmt.Sprintf("room %02d", i), "", "t")
	}
	var p1, p2 contract.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &p1)
	s.do(t, "GET", "/rooms?page=2", nil).decode(t, &p2)
	if p1.Total != 25 || len(p1.Rooms) != 20 || p2.Total != 25 || len(p2.Rooms) != 5 || p2.Page != 2 {
		t.Fatalf("page 1: %d/%d, page 2: %d/%d", len(p1.Rooms), p1.Total, len(p2.Rooms), p2.Total)
	}
	if p1.Rooms[0].Name != "room 24" || p2.Rooms[4].Name != "room 00" {
		t.Errorf("order: first %q, last %q", p1.Rooms[0].Name, p2.Rooms[4].Name)
	}
	// The activity feed pages the same way, newest first.
	room := p1.Rooms[0].ID
	for i := range 23 {
		s.mustPost(t, a, room, fmt.Sprintf("message %02d", i))
	}
	var m1, m2 contract.MessagePage
	s.do(t, "GET", "/messages", nil).decode(t, &m1)
	s.do(t, "GET", "/messages?page=2", nil).decode(t, &m2)
	if m1.Total != 23 || len(m1.Messages) != 20 || len(m2.Messages) != 3 || m1.Messages[0].Body != "message 22" || m2.Messages[2].Body != "message 00" {
		t.Errorf("activity pages: %d/%d then %d", len(m1.Messages), m1.Total, len(m2.Messages))
	}
}

func TestBodyTooLargeWithoutContentLength(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := s.register(t, "alice")
	// A chunked body has no Content-Length, so the limit is enforced
	// while reading.
	pr, pw := io.Pipe()
	go func() {
		_, _ = pw.Write([]byte(`{"name":"`))
		_, _ = pw.Write([]byte(strings.Repeat("x", 70<<10)))
		_, _ = pw.Write([]byte(`","topic":"t"}`))
		_ = pw.Close()
	}()
	req, _ := http.NewRequestWithContext(context.Background(), "POST", s.URL+"/rooms", pr)
	req.Header.Set("Authorization", "Bearer "+a.token)
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	response{status: res.StatusCode, header: res.Header, body: b}.checkError(t, 413, contract.CodeTooLarge, nil)
}

func TestInternalErrorIsLoggedOnceAndNotLeaked(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := s.register(t, "alice")
	s.store.Close() // every query now fails inside pgx
	r := s.do(t, "GET", "/rooms?q=x", nil)
	r.checkError(t, 500, contract.CodeInternal, nil)
	var e contract.ErrorResponse
	r.decode(t, &e)
	if e.Error.Message != "internal error" {
		t.Errorf("message = %q, want the generic one", e.Error.Message)
	}
	r = s.doAuth(t, a.token, "POST", "/rooms", strings.NewReader(`{"name":"n","topic":"t"}`))
	r.checkError(t, 500, contract.CodeInternal, nil)

	var internal, requests int
	for _, l := range s.logs.lines(t) {
		switch l["msg"] {
		case "internal error":
			internal++
			if l["level"] != "ERROR" || !strings.Contains(fmt.Sprint(l["error"]), "closed") {
				t.Errorf("internal error line = %v", l)
			}
		case "request":
			requests++
		}
	}
	// The registration logged a request line too.
	if internal != 2 || requests != 3 {
		t.Errorf("%d internal error lines and %d request lines, want 2 and 3:\n%s", internal, requests, s.logs)
	}
}

func TestOneLogLinePerRequest(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.do(t, "GET", "/rooms", nil)
	s.do(t, "GET", "/nope", nil)
	s.do(t, "DELETE", "/topics", nil)
	lines := s.logs.lines(t)
	want := []struct {
		method, path string
		status       float64
	}{{"GET", "/rooms", 200}, {"GET", "/nope", 404}, {"DELETE", "/topics", 405}}
	var got []map[string]any
	for _, l := range lines {
		if l["msg"] == "request" {
			got = append(got, l)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d request lines, want %d:\n%s", len(got), len(want), s.logs)
	}
	for i, w := range want {
		l := got[i]
		if l["method"] != w.method || l["path"] != w.path || l["status"] != w.status || l["duration"] == nil || l["level"] != "INFO" {
			t.Errorf("line %d = %v, want %s %s %v with a duration", i, l, w.method, w.path, w.status)
		}
	}
}

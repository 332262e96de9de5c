package httpapi_test

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

	"github.com/coolroom/testbed/lambda/service"
)

func TestHealth(t *testing.T) {
	s := newServer(t)
	r := s.do(t, "GET", "/health", nil)
	if r.status != 200 || string(r.body) != "{\"status\":\"ok\"}\n" || r.header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /health = %d %q %q", r.status, r.header.Get("Content-Type"), r.body)
	}
	// With the database gone, health says so and nothing leaks.
	s.store.Close()
	r = s.do(t, "GET", "/health", nil)
	r.checkError(t, 503, service.CodeUnavailable, nil)
	if strings.Contains(string(r.body), "closed") {
		t.Errorf("body leaks the cause: %s", r.body)
	}
}

func TestCreateRoom(t *testing.T) {
	s := newServer(t)
	r := s.do(t, "POST", "/rooms", strings.NewReader(`{"name":"  Learn Go ","description":"Goroutines","topic":"Go"}`))
	if r.status != 201 {
		t.Fatalf("status %d, body %s", r.status, r.body)
	}
	var room service.Room
	r.decode(t, &room)
	if room.ID == 0 || room.Name != "Learn Go" || room.Description != "Goroutines" || room.Participants != 0 {
		t.Errorf("room = %+v", room)
	}
	if room.Topic.ID == 0 || room.Topic.Name != "Go" || room.Topic.Rooms != 1 {
		t.Errorf("topic = %+v", room.Topic)
	}
	// TEMPORARY: the demo user hosts every room until login exists.
	if room.Host.Username != "demo" || room.Host.Name != "Demo Host" || room.Host.ID == 0 {
		t.Errorf("host = %+v", room.Host)
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
	r = s.do(t, "POST", "/rooms", strings.NewReader(`{"name":"More Go","topic":"gO"}`))
	var second service.Room
	r.decode(t, &second)
	if r.status != 201 || second.Topic.ID != room.Topic.ID || second.Topic.Name != "Go" || second.Topic.Rooms != 2 {
		t.Errorf("second room: %d %+v", r.status, second)
	}

	var page service.RoomPage
	r = s.do(t, "GET", "/rooms", nil)
	r.decode(t, &page)
	if page.Total != 2 || len(page.Rooms) != 2 || page.Rooms[0].ID != second.ID || page.Rooms[1].ID != room.ID {
		t.Errorf("list after create = %+v", page)
	}
}

func TestRoutes(t *testing.T) {
	s := newServer(t)
	for _, body := range []string{
		`{"name":"Learn Go","description":"channels","topic":"Go"}`,
		`{"name":"SQL tips","description":"50% faster queries","topic":"Databases"}`,
		`{"name":"Postgres internals","description":"MVCC","topic":"databases"}`,
	} {
		if r := s.do(t, "POST", "/rooms", strings.NewReader(body)); r.status != 201 {
			t.Fatalf("seed %s: %d %s", body, r.status, r.body)
		}
	}
	newest := []string{"Postgres internals", "SQL tips", "Learn Go"}

	type roomsWant struct {
		names []string
		total int
		page  int
	}
	type topicsWant struct {
		names []string
		rooms []int
	}
	big := `{"name":"` + strings.Repeat("x", 70<<10) + `","topic":"t"}`
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     service.ErrorCode
		fields                   map[string]string
		rooms                    *roomsWant
		topics                   *topicsWant
		allow                    string
	}{
		{name: "list all", method: "GET", path: "/rooms", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "search topic", method: "GET", path: "/rooms?q=DATABASES", status: 200, rooms: &roomsWant{newest[:2], 2, 1}},
		{name: "search name", method: "GET", path: "/rooms?q=learn", status: 200, rooms: &roomsWant{newest[2:], 1, 1}},
		{name: "search description", method: "GET", path: "/rooms?q=mvcc", status: 200, rooms: &roomsWant{newest[:1], 1, 1}},
		{name: "search host", method: "GET", path: "/rooms?q=Demo", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "search percent literally", method: "GET", path: "/rooms?q=%25", status: 200, rooms: &roomsWant{[]string{"SQL tips"}, 1, 1}},
		{name: "search underscore literally", method: "GET", path: "/rooms?q=_", status: 200, rooms: &roomsWant{[]string{}, 0, 1}},
		{name: "page past the end", method: "GET", path: "/rooms?page=2", status: 200, rooms: &roomsWant{[]string{}, 3, 2}},
		{name: "explicit page 1", method: "GET", path: "/rooms?page=1&q=", status: 200, rooms: &roomsWant{newest, 3, 1}},
		{name: "page 0", method: "GET", path: "/rooms?page=0", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page negative", method: "GET", path: "/rooms?page=-1", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page not a number", method: "GET", path: "/rooms?page=two", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page overflows", method: "GET", path: "/rooms?page=99999999999999999999", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"page": "must be a positive integer"}},
		{name: "page too far", method: "GET", path: "/rooms?page=1000001", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"page": "must be an integer between 1 and 1000000"}},
		{name: "q with NUL", method: "GET", path: "/rooms?q=a%00b", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},
		{name: "q not UTF-8", method: "GET", path: "/rooms?q=%ff", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},
		{name: "q too long", method: "GET", path: "/rooms?q=" + strings.Repeat("a", 201), status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"q": "must be at most 200 characters"}},

		{name: "topics", method: "GET", path: "/topics", status: 200, topics: &topicsWant{[]string{"Databases", "Go"}, []int{2, 1}}},
		{name: "topics search", method: "GET", path: "/topics?q=GO", status: 200, topics: &topicsWant{[]string{"Go"}, []int{1}}},
		{name: "topics search none", method: "GET", path: "/topics?q=%25", status: 200, topics: &topicsWant{[]string{}, []int{}}},
		{name: "topics bad q", method: "GET", path: "/topics?q=%01", status: 400, code: service.CodeBadRequest,
			fields: map[string]string{"q": "must not contain control characters"}},

		{name: "create: empty object", method: "POST", path: "/rooms", body: `{}`, status: 422, code: service.CodeValidationFailed,
			fields: map[string]string{"name": "is required", "topic": "is required"}},
		{name: "create: blank and too long", method: "POST", path: "/rooms",
			body:   `{"name":"   ","topic":"` + strings.Repeat("t", 201) + `","description":"` + strings.Repeat("d", 2001) + `"}`,
			status: 422, code: service.CodeValidationFailed,
			fields: map[string]string{"name": "is required", "topic": "must be at most 200 characters",
				"description": "must be at most 2000 characters"}},
		{name: "create: NUL in name", method: "POST", path: "/rooms", body: `{"name":"a\u0000b","topic":"t"}`,
			status: 422, code: service.CodeValidationFailed, fields: map[string]string{"name": "must not contain control characters"}},
		{name: "create: malformed JSON", method: "POST", path: "/rooms", body: `{"name":`, status: 400, code: service.CodeBadRequest},
		{name: "create: syntax error", method: "POST", path: "/rooms", body: `{"name" "x"}`, status: 400, code: service.CodeBadRequest},
		{name: "create: empty body", method: "POST", path: "/rooms", body: ``, status: 400, code: service.CodeBadRequest},
		{name: "create: array", method: "POST", path: "/rooms", body: `[]`, status: 400, code: service.CodeBadRequest},
		{name: "create: wrong type", method: "POST", path: "/rooms", body: `{"name":5,"topic":"t"}`, status: 400,
			code: service.CodeBadRequest, fields: map[string]string{"name": "must be a string"}},
		{name: "create: unknown field", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t","host":1}`, status: 400, code: service.CodeBadRequest},
		{name: "create: two objects", method: "POST", path: "/rooms", body: `{"name":"n","topic":"t"} {}`, status: 400, code: service.CodeBadRequest},
		{name: "create: too large", method: "POST", path: "/rooms", body: big, status: 413, code: service.CodeTooLarge},

		{name: "unknown route", method: "GET", path: "/nope", status: 404, code: service.CodeNotFound},
		{name: "trailing slash", method: "GET", path: "/rooms/", status: 404, code: service.CodeNotFound},
		{name: "root", method: "GET", path: "/", status: 404, code: service.CodeNotFound},
		{name: "wrong method on rooms", method: "DELETE", path: "/rooms", status: 405, code: service.CodeMethodNotAllowed, allow: "GET, POST"},
		{name: "wrong method on topics", method: "POST", path: "/topics", body: `{}`, status: 405, code: service.CodeMethodNotAllowed, allow: "GET"},
		{name: "wrong method on health", method: "PUT", path: "/health", status: 405, code: service.CodeMethodNotAllowed, allow: "GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var body io.Reader
			if tc.method == "POST" || tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			r := s.do(t, tc.method, tc.path, body)
			switch {
			case tc.code != "":
				r.checkError(t, tc.status, tc.code, tc.fields)
				if tc.allow != "" && r.header.Get("Allow") != tc.allow {
					t.Errorf("Allow = %q, want %q", r.header.Get("Allow"), tc.allow)
				}
			case tc.rooms != nil:
				var p service.RoomPage
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
			case tc.topics != nil:
				var l service.TopicList
				r.decode(t, &l)
				if r.status != tc.status || !strings.Contains(string(r.body), `"topics":[`) {
					t.Errorf("status %d body %s", r.status, r.body)
				}
				names, counts := []string{}, []int{}
				for _, tp := range l.Topics {
					names = append(names, tp.Name)
					counts = append(counts, tp.Rooms)
				}
				if !slices.Equal(names, tc.topics.names) || !slices.Equal(counts, tc.topics.rooms) || l.TotalRooms != 3 {
					t.Errorf("got %q %v total %d; want %q %v total 3", names, counts, l.TotalRooms, tc.topics.names, tc.topics.rooms)
				}
			default:
				t.Fatal("bad test case")
			}
		})
	}
	// None of the rejected creations wrote anything.
	var p service.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &p)
	if p.Total != 3 {
		t.Errorf("total after bad requests = %d, want 3", p.Total)
	}
}

func TestPagination(t *testing.T) {
	s := newServer(t)
	for i := range 25 {
		body := fmt.Sprintf(`{"name":"room %02d","topic":"t"}`, i)
		if r := s.do(t, "POST", "/rooms", strings.NewReader(body)); r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
	}
	var p1, p2 service.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &p1)
	s.do(t, "GET", "/rooms?page=2", nil).decode(t, &p2)
	if p1.Total != 25 || len(p1.Rooms) != 20 || p2.Total != 25 || len(p2.Rooms) != 5 || p2.Page != 2 {
		t.Fatalf("page 1: %d/%d, page 2: %d/%d", len(p1.Rooms), p1.Total, len(p2.Rooms), p2.Total)
	}
	if p1.Rooms[0].Name != "room 24" || p2.Rooms[4].Name != "room 00" {
		t.Errorf("order: first %q, last %q", p1.Rooms[0].Name, p2.Rooms[4].Name)
	}
}

func TestBodyTooLargeWithoutContentLength(t *testing.T) {
	s := newServer(t)
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
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	response{status: res.StatusCode, header: res.Header, body: b}.checkError(t, 413, service.CodeTooLarge, nil)
}

func TestInternalErrorIsLoggedOnceAndNotLeaked(t *testing.T) {
	s := newServer(t)
	s.store.Close() // every query now fails inside pgx
	r := s.do(t, "GET", "/rooms?q=x", nil)
	r.checkError(t, 500, service.CodeInternal, nil)
	var e service.ErrorResponse
	r.decode(t, &e)
	if e.Error.Message != "internal error" {
		t.Errorf("message = %q, want the generic one", e.Error.Message)
	}
	r = s.do(t, "POST", "/rooms", strings.NewReader(`{"name":"n","topic":"t"}`))
	r.checkError(t, 500, service.CodeInternal, nil)

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
	if internal != 2 || requests != 2 {
		t.Errorf("%d internal error lines and %d request lines, want 2 and 2:\n%s", internal, requests, s.logs)
	}
}

func TestOneLogLinePerRequest(t *testing.T) {
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

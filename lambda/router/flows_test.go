package router_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/jackc/pgx/v5"
)

func TestHostUpdatesAndDeletesRoom(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice, bob := s.register(t, "alice"), s.register(t, "bob")
	room := s.mustCreateRoom(t, alice, "Learn Go", "channels", "Go")
	path := fmt.Sprintf("/rooms/%d", room.ID)

	// A partial update keeps the other fields; a new topic is created,
	// and the room moves to it.
	r := s.doAuth(t, alice.token, "PATCH", path, strings.NewReader(`{"name":" Learn Rust ","topic":"Rust"}`))
	if r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	var up contract.Room
	r.decode(t, &up)
	if up.ID != room.ID || up.Name != "Learn Rust" || up.Description != "channels" || up.Topic.Name != "Rust" ||
		up.Topic.ID == room.Topic.ID || up.Host != alice.user.Summary() || up.Updated.Before(room.Updated) {
		t.Errorf("updated room = %+v", up)
	}
	var tl contract.TopicList
	s.do(t, "GET", "/topics", nil).decode(t, &tl)
	if len(tl.Topics) != 2 || tl.Topics[0].Name != "Rust" || tl.Topics[0].Rooms != 1 || tl.Topics[1].Rooms != 0 {
		t.Errorf("topics after the move = %+v", tl)
	}

	// bob posts, then alice deletes the room: its messages and
	// participants go too, bob's account stays.
	m := s.mustPost(t, bob, room.ID, "hi")
	if r := s.doAuth(t, bob.token, "DELETE", path, nil); r.status != 403 {
		t.Fatalf("bob deletes alice's room: %d", r.status)
	}
	r = s.doAuth(t, alice.token, "DELETE", path, nil)
	if r.status != 204 || len(r.body) != 0 {
		t.Fatalf("delete: %d %q", r.status, r.body)
	}
	s.do(t, "GET", path, nil).checkError(t, 404, contract.CodeNotFound, nil)
	s.do(t, "GET", fmt.Sprintf("/messages/%d", m.ID), nil).checkError(t, 404, contract.CodeNotFound, nil)
	s.doAuth(t, alice.token, "DELETE", path, nil).checkError(t, 404, contract.CodeNotFound, nil)
	conn := connect(t, s)
	var participants int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM room_participants`).Scan(&participants); err != nil || participants != 0 {
		t.Errorf("participants left: %d (%v)", participants, err)
	}
	var u contract.User
	s.do(t, "GET", fmt.Sprintf("/users/%d", bob.user.ID), nil).decode(t, &u)
	if u.Messages != 0 || u.Username != "bob" {
		t.Errorf("bob after the delete = %+v", u)
	}
}

func TestMessagesAndParticipants(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice, bob := s.register(t, "alice"), s.register(t, "bob")
	room := s.mustCreateRoom(t, alice, "Learn Go", "", "Go")
	other := s.mustCreateRoom(t, alice, "Other", "", "Go")

	m1 := s.mustPost(t, bob, room.ID, "  first\nline  ")
	m2 := s.mustPost(t, bob, room.ID, "second")
	m3 := s.mustPost(t, alice, room.ID, "third")
	if m1.Body != "first\nline" || m1.User != bob.user.Summary() || m1.Room != (contract.RoomRef{ID: room.ID, Name: "Learn Go"}) {
		t.Errorf("message = %+v", m1)
	}
	var d contract.RoomDetail
	s.do(t, "GET", fmt.Sprintf("/rooms/%d", room.ID), nil).decode(t, &d)
	// bob joined once despite two posts; alice joined by posting.
	if d.Room.Participants != 2 || len(d.Participants) != 2 || d.Participants[0].Username != "bob" || d.Participants[1].Username != "alice" {
		t.Errorf("participants = %d %+v", d.Room.Participants, d.Participants)
	}
	if len(d.Messages) != 3 || d.Messages[0].ID != m1.ID || d.Messages[2].ID != m3.ID {
		t.Errorf("messages = %+v", d.Messages)
	}
	// Posting bumped the room above the newer, silent one.
	if !d.Room.Updated.After(room.Updated) || d.Room.Updated.Before(m3.Created) {
		t.Errorf("room updated %v, created %v, last message %v", d.Room.Updated, room.Created, m3.Created)
	}
	var p contract.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &p)
	if p.Rooms[0].ID != room.ID || p.Rooms[1].ID != other.ID {
		t.Errorf("order after posting: %q, %q", p.Rooms[0].Name, p.Rooms[1].Name)
	}

	// Polling returns what came after.
	var l contract.MessageList
	s.do(t, "GET", fmt.Sprintf("/rooms/%d/messages?after=%d", room.ID, m1.ID), nil).decode(t, &l)
	if len(l.Messages) != 2 || l.Messages[0].ID != m2.ID || l.Messages[1].ID != m3.ID {
		t.Errorf("after m1: %+v", l.Messages)
	}

	// Only the author deletes; the host cannot delete others' messages.
	s.doAuth(t, alice.token, "DELETE", fmt.Sprintf("/messages/%d", m2.ID), nil).checkError(t, 403, contract.CodeForbidden, nil)
	if r := s.doAuth(t, bob.token, "DELETE", fmt.Sprintf("/messages/%d", m2.ID), nil); r.status != 204 {
		t.Fatalf("author deletes: %d %s", r.status, r.body)
	}
	s.do(t, "GET", fmt.Sprintf("/rooms/%d/messages?after=%d", room.ID, m1.ID), nil).decode(t, &l)
	if len(l.Messages) != 1 || l.Messages[0].ID != m3.ID {
		t.Errorf("after deleting m2: %+v", l.Messages)
	}

	// The activity feed, newest first, and by user.
	var feed contract.MessagePage
	s.do(t, "GET", fmt.Sprintf("/messages?user=%d", bob.user.ID), nil).decode(t, &feed)
	if feed.Total != 1 || feed.Messages[0].ID != m1.ID {
		t.Errorf("bob's activity = %+v", feed)
	}
	s.do(t, "GET", "/messages?q=learn", nil).decode(t, &feed)
	if feed.Total != 2 || feed.Messages[0].ID != m3.ID || feed.Messages[1].ID != m1.ID {
		t.Errorf("activity for q=learn = %+v", feed)
	}
}

// connect opens the test server's database for the test's own SQL.
func connect(t *testing.T, s *testServer) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestHomeIsTheThreeListsInOneCall: GET /home answers what GET /rooms and
// GET /topics answer for the same query, and the newest messages GET
// /messages lists for the same search and topic (as many as the home page
// shows), so the home page can make one call instead of three.
func TestHomeIsTheThreeListsInOneCall(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice, bob := s.register(t, "alice"), s.register(t, "bob")
	goRoom := s.mustCreateRoom(t, alice, "Learn Go", "channels", "Go")
	dbRoom := s.mustCreateRoom(t, bob, "Indexes", "b-trees", "Databases")
	for i := range 6 {
		s.mustPost(t, bob, goRoom.ID, fmt.Sprintf("go %d", i))
		s.mustPost(t, alice, dbRoom.ID, fmt.Sprintf("db %d", i))
	}
	for _, query := range []string{"", "?q=go", "?topic=databases", "?q=nothing+matches", "?page=2"} {
		var home contract.HomePage
		s.do(t, "GET", "/home"+query, nil).decode(t, &home)
		var want contract.HomePage
		s.do(t, "GET", "/rooms"+query, nil).decode(t, &want.Rooms)
		s.do(t, "GET", "/topics", nil).decode(t, &want.Topics)
		var feed contract.MessagePage
		s.do(t, "GET", "/messages"+strings.Replace(query, "?page=2", "", 1), nil).decode(t, &feed)
		want.Activity = feed.Messages[:min(len(feed.Messages), service.HomeActivity)]
		if query == "" && (len(home.Rooms.Rooms) != 2 || home.Topics.TotalRooms != 2 || len(home.Activity) != service.HomeActivity) {
			t.Errorf("GET /home = %d rooms, %d in all, %d messages; want 2, 2, %d",
				len(home.Rooms.Rooms), home.Topics.TotalRooms, len(home.Activity), service.HomeActivity)
		}
		got, _ := json.Marshal(home)
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("GET /home%s =\n%s\nwant\n%s", query, got, w)
		}
	}
}

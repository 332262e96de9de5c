package router_test

import (
	"fmt"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// allRoomMessages pages through a room's messages with before= cursors,
// newest page first, and returns them all, oldest first.
func (s *testServer) allRoomMessages(t testing.TB, room int64) []contract.Message {
	t.Helper()
	var all []contract.Message
	path := fmt.Sprintf("/rooms/%d/messages", room)
	for {
		var l contract.MessageList
		s.do(t, "GET", path, nil).decode(t, &l)
		if len(l.Messages) > service.RoomMessagesPerPage {
			t.Fatalf("%s: %d messages on one page", path, len(l.Messages))
		}
		all = append(l.Messages, all...)
		if !l.HasMore {
			return all
		}
		path = fmt.Sprintf("/rooms/%d/messages?before=%d", room, l.Messages[0].ID)
	}
}

// TestRoomMessagesArePaged: GET /rooms/{id} used to carry every message
// of the room (300 KB for 600). It now holds the newest page with
// has_earlier; before= pages back, after= polls forward in pages, and
// together they return every message exactly once, in order.
func TestRoomMessagesArePaged(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	alice := s.register(t, "alice")
	room := s.mustCreateRoom(t, alice, "busy", "", "t")
	const n = 2*service.RoomMessagesPerPage + 7
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = s.mustPost(t, alice, room.ID, fmt.Sprintf("message %d", i)).ID
	}
	per := service.RoomMessagesPerPage

	var d contract.RoomDetail
	s.do(t, "GET", fmt.Sprintf("/rooms/%d", room.ID), nil).decode(t, &d)
	if len(d.Messages) != per || !d.HasEarlier || d.Messages[0].ID != ids[n-per] || d.Messages[per-1].ID != ids[n-1] {
		t.Fatalf("room detail: %d messages (%d..), has_earlier %v; want the newest %d", len(d.Messages), d.Messages[0].ID, d.HasEarlier, per)
	}
	s.do(t, "GET", fmt.Sprintf("/rooms/%d?before=%d", room.ID, ids[7]), nil).decode(t, &d)
	if len(d.Messages) != 7 || d.HasEarlier || d.Messages[0].ID != ids[0] || d.Room.Name != "busy" {
		t.Errorf("room detail before the 8th: %d messages, has_earlier %v", len(d.Messages), d.HasEarlier)
	}

	all := s.allRoomMessages(t, room.ID)
	if len(all) != n {
		t.Fatalf("paging back gave %d messages, want %d", len(all), n)
	}
	for i, m := range all {
		if m.ID != ids[i] || m.Body != fmt.Sprintf("message %d", i) {
			t.Fatalf("message %d = %d %q, want %d", i, m.ID, m.Body, ids[i])
		}
	}

	// A poll far behind gets the oldest unseen page and has_more.
	var l contract.MessageList
	s.do(t, "GET", fmt.Sprintf("/rooms/%d/messages?after=0", room.ID), nil).decode(t, &l)
	if len(l.Messages) != per || !l.HasMore || l.Messages[0].ID != ids[0] {
		t.Errorf("after=0: %d messages from %d, has_more %v", len(l.Messages), l.Messages[0].ID, l.HasMore)
	}
	s.do(t, "GET", fmt.Sprintf("/rooms/%d/messages?after=%d", room.ID, ids[n-3]), nil).decode(t, &l)
	if len(l.Messages) != 2 || l.HasMore || l.Messages[1].ID != ids[n-1] {
		t.Errorf("after the third last: %+v", l)
	}

	for path, field := range map[string]string{
		fmt.Sprintf("/rooms/%d/messages?before=0", room.ID):                   "before",
		fmt.Sprintf("/rooms/%d/messages?before=x", room.ID):                   "before",
		fmt.Sprintf("/rooms/%d?before=-4", room.ID):                           "before",
		fmt.Sprintf("/rooms/%d/messages?after=1&before=9", room.ID):           "before",
		fmt.Sprintf("/rooms/%d/messages?after=-1", room.ID):                   "after",
		fmt.Sprintf("/rooms/%d/messages?after=99999999999999999999", room.ID): "after",
	} {
		r := s.do(t, "GET", path, nil)
		if r.status != 400 {
			t.Errorf("%s: %d %s", path, r.status, r.body)
			continue
		}
		var e contract.ErrorResponse
		r.decode(t, &e)
		if e.Error.Code != contract.CodeBadRequest || e.Error.Fields[field] == "" {
			t.Errorf("%s: %s", path, r.body)
		}
	}
}

package router_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
)

// post sends an authenticated JSON POST from any goroutine (no t.Fatal).
func (s *testServer) post(token, path, body string) (int, string, error) {
	req, err := http.NewRequest("POST", s.URL+path, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.Client().Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

func TestConcurrentMessagePosts(t *testing.T) {
	t.Parallel()
	const writers, posts, nRooms = 50, 20, 5
	s := newServer(t)
	host := s.register(t, "host")
	var rooms []contract.Room
	for i := range nRooms {
		rooms = append(rooms, s.mustCreateRoom(t, host, fmt.Sprintf("room %d", i), "", "load"))
	}
	users := make([]account, writers)
	for i := range users {
		users[i] = s.register(t, fmt.Sprintf("writer%02d", i))
	}
	// Writer i alternates between two rooms picked from i, so each room
	// gets its own, known set of participants.
	roomsOf := func(i int) [2]int { return [2]int{i % nRooms, (i / 10) % nRooms} }
	want := make([]map[string]bool, nRooms)
	for i := range want {
		want[i] = map[string]bool{}
	}
	wantMsgs := make([]int, nRooms)
	for i := range writers {
		for j := range posts {
			r := roomsOf(i)[j%2]
			want[r][users[i].user.Username] = true
			wantMsgs[r]++
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, writers*posts)
	start := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			<-start
			for j := range posts {
				room := rooms[roomsOf(i)[j%2]]
				status, body, err := s.post(users[i].token, fmt.Sprintf("/rooms/%d/messages", room.ID), fmt.Sprintf(`{"body":"w%d m%d"}`, i, j))
				if err == nil && status != 201 {
					err = fmt.Errorf("writer %d post %d: %d %s", i, j, status, body)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	var feed contract.MessagePage
	s.do(t, "GET", "/messages", nil).decode(t, &feed)
	if feed.Total != writers*posts {
		t.Errorf("activity total %d, want %d", feed.Total, writers*posts)
	}
	for i, room := range rooms {
		var d contract.RoomDetail
		s.do(t, "GET", fmt.Sprintf("/rooms/%d", room.ID), nil).decode(t, &d)
		var got, wantNames []string
		for _, p := range d.Participants {
			got = append(got, p.Username)
		}
		for name := range want[i] {
			wantNames = append(wantNames, name)
		}
		slices.Sort(got)
		slices.Sort(wantNames)
		if !slices.Equal(got, wantNames) || d.Room.Participants != len(wantNames) {
			t.Errorf("room %d: participants %v (count %d), want %v", i, got, d.Room.Participants, wantNames)
		}
		if all := s.allRoomMessages(t, room.ID); len(all) != wantMsgs[i] {
			t.Errorf("room %d: %d messages, want %d", i, len(all), wantMsgs[i])
		}
		if d.Room.Updated.Before(d.Messages[len(d.Messages)-1].Created) {
			t.Errorf("room %d updated %v before its last message %v", i, d.Room.Updated, d.Messages[len(d.Messages)-1].Created)
		}
	}
	var n int
	if err := connect(t, s).QueryRow(context.Background(), `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != writers*posts {
		t.Errorf("messages table has %d rows, want %d (%v)", n, writers*posts, err)
	}
}

func TestConcurrentCreatesOfOneNewTopic(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	a := s.register(t, "alice")
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			// The same topic in different cases.
			topic := "Brand New Topic"
			if i%2 == 1 {
				topic = "brand new TOPIC"
			}
			status, body, err := s.post(a.token, "/rooms", fmt.Sprintf(`{"name":"room %d","topic":%q}`, i, topic))
			if err == nil && status != 201 {
				err = fmt.Errorf("create %d: %d %s", i, status, body)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var l contract.TopicList
	s.do(t, "GET", "/topics", nil).decode(t, &l)
	if len(l.Topics) != 1 || l.Topics[0].Rooms != n || l.TotalRooms != n || !strings.EqualFold(l.Topics[0].Name, "brand new topic") {
		t.Errorf("topics = %+v", l)
	}
}

package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// TestTopicRoomCountsFollowTheRooms: the room count each topic keeps
// (migration 0007's triggers) stays equal to counting the rooms while
// rooms are created, moved between topics in both directions and deleted
// at the same time, and the listings report it.
func TestTopicRoomCountsFollowTheRooms(t *testing.T) {
	t.Parallel()
	st, pool := openStore(t)
	ctx := testContext(t)
	host := demoID(t, st)
	topics := []string{"Go", "Rust", "Databases"}
	var rooms []contract.Room
	for i := range 30 {
		rooms = append(rooms, mustCreate(t, st, host, fmt.Sprintf("room %d", i), "", topics[i%3]))
	}
	var wg sync.WaitGroup
	for i, r := range rooms {
		wg.Go(func() {
			var err error
			switch i % 3 {
			case 0: // Go → Rust, while Rust → Go below
				topic := "Rust"
				_, err = st.UpdateRoom(ctx, r.ID, host, contract.RoomUpdate{Topic: &topic})
			case 1: // half of Rust → Go ("go": the same topic, any letter case)
				if i%2 == 1 {
					topic := "go"
					_, err = st.UpdateRoom(ctx, r.ID, host, contract.RoomUpdate{Topic: &topic})
				}
			case 2:
				if i%2 == 0 {
					err = st.DeleteRoom(ctx, r.ID, host)
				} else {
					_, err = st.CreateRoom(ctx, host, contract.NewRoom{Name: fmt.Sprintf("new %d", i), Topic: "Databases"})
				}
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	rows, err := pool.Query(ctx, `SELECT t.name, t.rooms, (SELECT count(*) FROM rooms r WHERE r.topic_id = t.id) FROM topics t ORDER BY t.name`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	total := 0
	for rows.Next() {
		var name string
		var kept, counted int
		if err := rows.Scan(&name, &kept, &counted); err != nil {
			t.Fatal(err)
		}
		if kept != counted {
			t.Errorf("topic %s keeps %d rooms, has %d", name, kept, counted)
		}
		want[name] = counted
		total += counted
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Go: 10 − 10 moved to Rust + 5 from Rust; Rust: 10 + 10 − 5;
	// Databases: 10 − 5 deleted + 5 created.
	if want["Go"] != 5 || want["Rust"] != 15 || want["Databases"] != 10 {
		t.Errorf("rooms per topic = %v, want Go 5, Rust 15, Databases 10", want)
	}
	list, err := st.ListTopics(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range list.Topics {
		if tp.Rooms != want[tp.Name] {
			t.Errorf("ListTopics: %s has %d rooms, want %d", tp.Name, tp.Rooms, want[tp.Name])
		}
	}
	searched, err := st.ListTopics(ctx, "r")
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListRooms(ctx, service.RoomQuery{Page: 1}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if list.TotalRooms != total || searched.TotalRooms != total || page.Total != total || len(page.Rooms) != total {
		t.Errorf("totals: topics %d, topics searched %d, rooms listing %d (%d listed); want %d", list.TotalRooms, searched.TotalRooms, page.Total, len(page.Rooms), total)
	}
	for _, r := range page.Rooms {
		if r.Topic.Rooms != want[r.Topic.Name] {
			t.Errorf("room %q shows its topic %s with %d rooms, want %d", r.Name, r.Topic.Name, r.Topic.Rooms, want[r.Topic.Name])
		}
	}
}

package store_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/store"
)

func TestTopicGetOrCreateIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	st, _ := openStore(t)
	ctx := testContext(t)
	demo := demoID(t, st)
	a := mustCreate(t, st, demo, "one", "", "Go")
	b := mustCreate(t, st, demo, "two", "", "go")
	c := mustCreate(t, st, demo, "three", "", "GO")
	if a.Topic.ID != b.Topic.ID || b.Topic.ID != c.Topic.ID {
		t.Fatalf("topic ids %d %d %d, want one topic", a.Topic.ID, b.Topic.ID, c.Topic.ID)
	}
	if c.Topic.Name != "Go" || c.Topic.Rooms != 3 {
		t.Errorf("topic = %+v, want the first spelling Go with 3 rooms", c.Topic)
	}
	list, err := st.ListTopics(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Topics) != 1 || list.Topics[0].Name != "Go" || list.Topics[0].Rooms != 3 {
		t.Errorf("topics = %+v", list.Topics)
	}
}

func TestTopicGetOrCreateConcurrent(t *testing.T) {
	t.Parallel()
	// A pool big enough that all ten creations really run at once.
	url := testdb.New(t) + "&pool_max_conns=12"
	ctx := testContext(t)
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	demo := demoID(t, st)
	// Several rounds, since one race may happen not to interleave.
	bases := []string{"Go", "Rust", "Zig", "Elm", "Lua"}
	for _, base := range bases {
		spellings := []string{base, strings.ToLower(base), strings.ToUpper(base)}
		var wg sync.WaitGroup
		rooms := make([]contract.Room, 10)
		errs := make([]error, 10)
		start := make(chan struct{})
		for i := range 10 {
			wg.Go(func() {
				<-start
				rooms[i], errs[i] = st.CreateRoom(ctx, demo, contract.NewRoom{
					Name: fmt.Sprintf("%s room %d", base, i), Topic: spellings[i%3]})
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s: CreateRoom #%d: %v", base, i, err)
			}
			if rooms[i].Topic.ID != rooms[0].Topic.ID {
				t.Errorf("%s: room %d topic %+v, room 0 topic %+v", base, i, rooms[i].Topic, rooms[0].Topic)
			}
		}
		list, err := st.ListTopics(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Topics) != 1 || list.Topics[0].Rooms != 10 {
			t.Fatalf("%s: topics = %+v, want one topic with 10 rooms", base, list.Topics)
		}
		if !slices.Contains(spellings, list.Topics[0].Name) {
			t.Errorf("%s: topic name %q", base, list.Topics[0].Name)
		}
	}
	list, err := st.ListTopics(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Topics) != len(bases) || list.TotalRooms != 10*len(bases) {
		t.Errorf("%d topics, %d rooms; want %d, %d", len(list.Topics), list.TotalRooms, len(bases), 10*len(bases))
	}
}

func TestListTopics(t *testing.T) {
	t.Parallel()
	st, pool := openStore(t)
	ctx := testContext(t)
	demo := demoID(t, st)
	for i, topic := range []string{"python", "Go", "SQL", "go", "Python", "100%", "a_b", "Django"} {
		mustCreate(t, st, demo, fmt.Sprintf("room %d", i), "", topic)
	}
	// A topic whose rooms were all deleted still lists, with 0 rooms.
	if _, err := pool.Exec(ctx, `INSERT INTO topics (name) VALUES ('Empty')`); err != nil {
		t.Fatal(err)
	}
	type nc struct {
		Name  string
		Rooms int
	}
	tests := []struct {
		q    string
		want []nc
	}{
		// Room count desc, then name case-insensitively.
		{"", []nc{{"Go", 2}, {"python", 2}, {"100%", 1}, {"a_b", 1}, {"Django", 1}, {"SQL", 1}, {"Empty", 0}}},
		{"O", []nc{{"Go", 2}, {"python", 2}, {"Django", 1}}},
		{"%", []nc{{"100%", 1}}},
		{"_", []nc{{"a_b", 1}}},
		{"none", []nc{}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			list, err := st.ListTopics(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			got := []nc{}
			for _, tp := range list.Topics {
				if tp.ID == 0 {
					t.Errorf("topic %q has no id", tp.Name)
				}
				got = append(got, nc{tp.Name, tp.Rooms})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ListTopics(%q) = %v, want %v", tc.q, got, tc.want)
			}
			// The true total, whatever the filter shows.
			if list.TotalRooms != 8 {
				t.Errorf("total_rooms = %d, want 8", list.TotalRooms)
			}
		})
	}
}

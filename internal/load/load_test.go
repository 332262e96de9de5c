package load

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// lossyApp acknowledges every post like the real app but keeps only some:
// it forgets every fifth post of a room, as a database losing acknowledged commits
// would, so the run must report them missing (and no more: the others are
// found across the pages of the room's messages).
func lossyApp() http.Handler {
	var mu sync.Mutex
	next := int64(0)
	kept := map[string][]int64{}
	posted := map[string]int{}
	mux := http.NewServeMux()
	see := func(w http.ResponseWriter, loc string) {
		w.Header().Set("Location", loc)
		w.WriteHeader(http.StatusSeeOther)
	}
	mux.HandleFunc("POST /register", func(w http.ResponseWriter, r *http.Request) { see(w, "/") })
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) { see(w, "/") })
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /create-room", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		next++
		id := next
		mu.Unlock()
		see(w, fmt.Sprintf("/room/%d", id))
	})
	mux.HandleFunc("GET /room/{id}", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /room/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		next++
		id := next
		posted[r.PathValue("id")]++
		if posted[r.PathValue("id")]%5 != 0 {
			kept[r.PathValue("id")] = append(kept[r.PathValue("id")], id)
		}
		mu.Unlock()
		see(w, fmt.Sprintf("/room/%s#message-%d", r.PathValue("id"), id))
	})
	// Pages of 3, newest first, like the real API's pages of 50.
	mux.HandleFunc("GET /api/rooms/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		all := kept[r.PathValue("id")]
		end := len(all)
		if b, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil {
			end = 0
			for end < len(all) && all[end] < b {
				end++
			}
		}
		start := max(end-3, 0)
		var msgs []string
		for _, id := range all[start:end] {
			msgs = append(msgs, fmt.Sprintf(`{"id":%d}`, id))
		}
		fmt.Fprintf(w, `{"messages":[%s],"has_earlier":%v}`, strings.Join(msgs, ","), start > 0)
	})
	return mux
}

func TestRunReportsLostPosts(t *testing.T) {
	srv := httptest.NewServer(lossyApp())
	defer srv.Close()
	rep, err := Run(context.Background(), Options{BaseURL: srv.URL, Users: 4, Posts: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 4 rooms × 10 posts, 2 of each room's lost.
	if rep.Errors != 0 || rep.Acknowledged != 40 || rep.Missing != 8 || rep.OK() {
		t.Errorf("errors %d, acknowledged %d, missing %d, OK %v: want 0, 40, 8, false", rep.Errors, rep.Acknowledged, rep.Missing, rep.OK())
	}
	var out strings.Builder
	rep.Print(&out)
	for _, want := range []string{"post message", "p99", "40 posts acknowledged", fmt.Sprintf("%d missing", rep.Missing)} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunForADuration: with Duration set, users keep posting until the
// posting phase has lasted that long, however many posts that takes, and
// every acknowledged post is checked as in a run of a fixed count.
func TestRunForADuration(t *testing.T) {
	srv := httptest.NewServer(lossyApp())
	defer srv.Close()
	const users, duration, think = 3, 400 * time.Millisecond, 20 * time.Millisecond
	var progress strings.Builder
	rep, err := Run(context.Background(), Options{BaseURL: srv.URL, Users: users, Posts: 2, Duration: duration, Think: think,
		Poll: -1, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	// Each user waits 10–30 ms before each post: far more than the 2
	// posts -posts asked for fit in the time, and none start after it.
	if rep.Acknowledged < users*5 || rep.Posting.Elapsed < duration || rep.Posting.Elapsed > duration+2*think+time.Second {
		t.Errorf("%d posts acknowledged in a posting phase of %s; want many more than %d, in about %s",
			rep.Acknowledged, rep.Posting.Elapsed, users*2, duration)
	}
	// The app keeps four of every five posts of a room.
	if rep.Errors != 0 || rep.Missing == 0 || rep.OK() {
		t.Errorf("errors %d, missing %d, OK %v: want the lost posts found", rep.Errors, rep.Missing, rep.OK())
	}
	var out strings.Builder
	rep.Print(&out)
	if want := "3 users posting for 400ms in"; !strings.Contains(out.String(), want) {
		t.Errorf("report lacks %q:\n%s", want, out.String())
	}
	if strings.Contains(progress.String(), "/0 posts") {
		t.Errorf("progress counts posts out of a total: %q", progress.String())
	}
}

func TestRunCountsRefusedActions(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	rep, err := Run(context.Background(), Options{BaseURL: srv.URL, Users: 3, Posts: 2})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 3 || rep.OK() || len(rep.FirstErrors) == 0 {
		t.Errorf("errors %d OK %v first %v: want the 3 refused registrations reported", rep.Errors, rep.OK(), rep.FirstErrors)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	d := make([]time.Duration, 100)
	for i := range d {
		d[i] = time.Duration(i+1) * time.Millisecond
	}
	if p := percentile(d, 50); p != 50*time.Millisecond {
		t.Errorf("p50 of 1..100 ms = %s", p)
	}
	if p := percentile(d, 99); p != 99*time.Millisecond {
		t.Errorf("p99 of 1..100 ms = %s", p)
	}
	if p := percentile(d[:1], 99); p != time.Millisecond {
		t.Errorf("p99 of one = %s", p)
	}
}

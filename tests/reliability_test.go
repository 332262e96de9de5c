package tests

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// formPost sends a form with its own client (no cookies, no redirects)
// and returns the status, the Location and the body; a transport error is
// returned, not fatal, so goroutines can call it.
func formPost(base, path string, form url.Values, cookies []*http.Cookie) (int, string, string, error) {
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b), err
}

// TestConcurrentRegistrationsOneWins: of 20 people signing up at once
// with the same username (or email), exactly one gets the account and the
// others the form with "taken", never an error page, however many Lambda
// instances that takes.
func TestConcurrentRegistrationsOneWins(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	const n = 20
	for _, tc := range []struct {
		field, message string
		form           func(shared string, i int) url.Values
	}{
		{"username", "Username is already taken", func(shared string, i int) url.Values {
			return url.Values{"username": {shared}, "email": {fmt.Sprintf("%s-%d@example.test", shared, i)}}
		}},
		{"email", "Email is already registered", func(shared string, i int) url.Values {
			return url.Values{"username": {fmt.Sprintf("%s_%d", shared, i)}, "email": {shared + "@example.test"}}
		}},
	} {
		t.Run("same "+tc.field, func(t *testing.T) {
			shared := uniqueName("race")
			type outcome struct {
				status int
				body   string
				err    error
			}
			out := make([]outcome, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range out {
				wg.Add(1)
				go func() {
					defer wg.Done()
					form := tc.form(shared, i)
					form.Set("name", "Racer")
					form.Set("password", "Quiet-lantern-42-river")
					form.Set("password2", "Quiet-lantern-42-river")
					<-start
					status, _, body, err := formPost(st.AppURL, "/register", form, nil)
					out[i] = outcome{status, body, err}
				}()
			}
			close(start)
			wg.Wait()
			won, taken := 0, 0
			for i, o := range out {
				switch {
				case o.err != nil:
					t.Errorf("registration %d: %v", i, o.err)
				case o.status == http.StatusSeeOther:
					won++
				case o.status == http.StatusConflict && strings.Contains(textOf(o.body), tc.message):
					taken++
				default:
					t.Errorf("registration %d = %d: %s", i, o.status, textOf(o.body))
				}
			}
			if won != 1 || taken != n-1 {
				t.Errorf("%d accounts created and %d told %q, want 1 and %d", won, taken, tc.message, n-1)
			}
		})
	}
}

// TestAcknowledgedPostsSurviveACrashedBackend posts messages through the
// whole stack while a PostgreSQL backend is killed (PostgreSQL then
// restarts every backend and recovers from its WAL), and checks that
// every post the app acknowledged is in the database afterwards.
func TestAcknowledgedPostsSurviveACrashedBackend(t *testing.T) {
	st := sharedStack(t)
	if st.Postgres == nil {
		t.Skip("needs the stack's own PostgreSQL to kill a backend")
	}
	poster := registered(t, st.AppURL, "durable")
	room := poster.createRoom("Durability", "Crashes", "")
	cookies := poster.c.Jar.Cookies(mustURL(t, st.AppURL))

	const writers, perWriter = 6, 60
	var (
		mu    sync.Mutex
		acked []int64
		fails atomic.Int64
	)
	ackedCount := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	prefix := fmt.Sprintf("/room/%d#message-", room)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				status, loc, _, err := formPost(st.AppURL, fmt.Sprintf("/room/%d", room),
					url.Values{"body": {fmt.Sprintf("writer %d post %d", w, i)}}, cookies)
				if err != nil || status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
					// Not acknowledged: the user sees an error and keeps the
					// text. Pause, as a person would, while PostgreSQL restarts.
					fails.Add(1)
					time.Sleep(50 * time.Millisecond)
					continue
				}
				id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
				if err != nil {
					t.Errorf("Location %q", loc)
					continue
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		}()
	}

	// Kill a backend twice while the writers run.
	ctx := context.Background()
	killed := 0
	for _, after := range []int{writers * perWriter / 4, writers * perWriter / 2} {
		for ackedCount() < after && ackedCount()+int(fails.Load()) < writers*perWriter {
			time.Sleep(5 * time.Millisecond)
		}
		if pid := busiestBackend(t, ctx, st.DatabaseURL); pid != 0 {
			if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
				t.Fatalf("kill backend %d: %v", pid, err)
			}
			killed++
		}
	}
	wg.Wait()
	if killed == 0 {
		t.Fatal("no backend was found to kill")
	}

	// The cluster is back: read what it holds.
	var ids []int64
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, st.DatabaseURL)
		if err == nil {
			rows, qerr := conn.Query(ctx, `SELECT id FROM messages WHERE room_id = $1`, room)
			if qerr == nil {
				ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			} else {
				err = qerr
			}
			conn.Close(ctx)
		}
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("PostgreSQL did not come back: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	present := map[int64]bool{}
	for _, id := range ids {
		present[id] = true
	}
	lost := 0
	for _, id := range acked {
		if !present[id] {
			lost++
		}
	}
	t.Logf("%d backends killed; %d posts acknowledged, %d refused during the restarts, %d lost", killed, len(acked), fails.Load(), lost)
	if lost > 0 {
		t.Errorf("%d of %d acknowledged posts are missing after a backend crash", lost, len(acked))
	}
	if len(acked) < writers*perWriter/2 {
		t.Errorf("only %d of %d posts acknowledged: the stack did not recover", len(acked), writers*perWriter)
	}
}

// busiestBackend returns the pid of a client backend of the stack's
// database other than this connection, preferring one inside a query.
func busiestBackend(t *testing.T, ctx context.Context, dbURL string) int {
	t.Helper()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Logf("connect to pick a backend: %v", err)
		return 0
	}
	defer conn.Close(ctx)
	var pid int
	err = conn.QueryRow(ctx, `SELECT pid FROM pg_stat_activity
WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
ORDER BY state = 'active' DESC, backend_start LIMIT 1`).Scan(&pid)
	if err != nil {
		t.Logf("pick a backend: %v", err)
		return 0
	}
	return pid
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

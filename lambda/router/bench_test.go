package router_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/password"
	"github.com/coolroom/testbed/lambda/router"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/coolroom/testbed/lambda/store"
)

// BenchmarkListRooms measures GET /rooms at handler level (routing, the
// service, two SQL statements in one round trip to a local PostgreSQL,
// JSON encoding of 20 rooms) over 1,000 rooms in 20 topics, a third of
// them with a participant. Besides the mean (ns/op) it reports the median
// and 99th percentile.
//
//	go test -run '^$' -bench ListRooms -benchtime 2000x ./lambda/router/
func BenchmarkListRooms(b *testing.B) {
	s := newServer(b)
	alice := s.register(b, "alice")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO topics (name) SELECT 'topic ' || i FROM generate_series(1, 20) i`, nil},
		{`INSERT INTO rooms (host_id, topic_id, name, description, updated)
		  SELECT $1, (SELECT min(id) FROM topics) + i % 20, 'room ' || i, 'about room ' || i, now() - i * interval '1 second'
		  FROM generate_series(1, 1000) i`, []any{alice.user.ID}},
		{`INSERT INTO room_participants (room_id, user_id) SELECT id, $1 FROM rooms WHERE id % 3 = 0`, []any{alice.user.ID}},
		{`ANALYZE`, nil},
	} {
		if _, err := conn.Exec(ctx, stmt.sql, stmt.args...); err != nil {
			b.Fatalf("%s: %v", stmt.sql, err)
		}
	}
	h := quietHandler(b, s.url)
	for _, bc := range []struct{ name, path string }{
		{"first_page", "/rooms"},
		{"page_10", "/rooms?page=10"},
		{"search", "/rooms?q=room%2042"},
		{"by_host", "/rooms?host=2"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, httptest.NewRequest("GET", bc.path, nil))
				took = append(took, time.Since(start))
				if rec.Code != 200 {
					b.Fatalf("%s: %d %s", bc.path, rec.Code, rec.Body)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
		})
	}
}

// quietHandler is the data service over the database at url with logging
// discarded, so the benchmark does not measure log writes.
func quietHandler(tb testing.TB, url string) http.Handler {
	tb.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	tokens, _ := service.NewTokenSigner(testSecret, time.Hour)
	svc, err := service.New(st, service.Options{Hasher: password.Hasher{Params: password.Fast}, Tokens: tokens})
	if err != nil {
		tb.Fatal(err)
	}
	return router.New(svc, slog.New(slog.DiscardHandler))
}

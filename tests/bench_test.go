package tests

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchRooms is how many rooms the home-page benchmark works against.
const benchRooms = 1000

var seedOnce sync.Once

// seedRooms adds 1,000 rooms in 20 topics by 10 hosts, and 2,000
// messages, straight into PostgreSQL (registering through the app would
// measure the password hash, not the pages).
func seedRooms(b *testing.B, dbURL string) {
	seedOnce.Do(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dbURL)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		tag := uniqueName("bench")
		_, err = conn.Exec(ctx, `
			WITH hosts AS (
				INSERT INTO users (username, email, name)
				SELECT $1 || '_h' || g, $1 || '_h' || g || '@example.test', 'Bench host ' || g FROM generate_series(1, 10) g
				RETURNING id),
			topics AS (
				INSERT INTO topics (name) SELECT 'Bench topic ' || $1 || ' ' || g FROM generate_series(1, 20) g
				RETURNING id),
			h AS (SELECT id, row_number() OVER () - 1 AS n FROM hosts),
			t AS (SELECT id, row_number() OVER () - 1 AS n FROM topics)
			INSERT INTO rooms (host_id, topic_id, name, description, created, updated)
			SELECT h.id, t.id, 'Bench room ' || g, 'A seeded room for the home-page benchmark, number ' || g,
			       now() - g * interval '1 minute', now() - g * interval '1 minute'
			FROM generate_series(1, $2::int) g
			JOIN h ON h.n = g % 10
			JOIN t ON t.n = g % 20`, tag, benchRooms)
		if err != nil {
			b.Fatalf("seed rooms: %v", err)
		}
		_, err = conn.Exec(ctx, `
			INSERT INTO messages (room_id, user_id, body)
			SELECT r.id, r.host_id, 'Seeded message in ' || r.name
			FROM rooms r CROSS JOIN generate_series(1, 2)
			WHERE r.name LIKE 'Bench room %' AND r.host_id IN (SELECT id FROM users WHERE username LIKE $1 || '_h%')`, tag)
		if err != nil {
			b.Fatalf("seed messages: %v", err)
		}
		_, err = conn.Exec(ctx, `
			INSERT INTO room_participants (room_id, user_id)
			SELECT DISTINCT room_id, user_id FROM messages m JOIN users u ON u.id = m.user_id
			WHERE u.username LIKE $1 || '_h%' ON CONFLICT DO NOTHING`, tag)
		if err != nil {
			b.Fatalf("seed participants: %v", err)
		}
	})
}

// BenchmarkHomePage measures GET / through the whole path (app → API
// Gateway → Lambda → PostgreSQL, three data API calls per page) with at
// least 1,000 rooms, and reports p50 and p99 latency.
func BenchmarkHomePage(b *testing.B) {
	st := sharedStack(b)
	seedRooms(b, st.DatabaseURL)
	v := newVisitor(b, st.AppURL)
	doc := v.page("/", http.StatusOK)
	var total int
	if _, err := fmt.Sscanf(doc.Find("#room-count").Text(), "%d rooms available", &total); err != nil || total < benchRooms {
		b.Fatalf("home page shows %q, want at least %d rooms", doc.Find("#room-count").Text(), benchRooms)
	}
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		resp := v.get("/")
		readAll(b, resp)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET / = %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*q))] }
	b.ReportMetric(float64(p(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p(0.99).Microseconds())/1000, "p99-ms")
	b.Logf("home page with %d rooms, %d requests: p50 %v, p99 %v, max %v", total, len(lat), p(0.50), p(0.99), lat[len(lat)-1])
}

// BenchmarkDataAPIListRooms measures GET /rooms on the data API through the
// emulator's API Gateway (HTTP API → warm Lambda → PostgreSQL) with at least
// 1,000 rooms; lambda/router has the same benchmark at handler level.
func BenchmarkDataAPIListRooms(b *testing.B) {
	st := sharedStack(b)
	seedRooms(b, st.DatabaseURL)
	client := &http.Client{Timeout: 30 * time.Second}
	url := st.Deploy.InvokeURL + "/rooms"
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		readAll(b, resp)
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET /rooms = %d", resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(float64(len(lat))*q))] }
	b.ReportMetric(float64(p(0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p(0.99).Microseconds())/1000, "p99-ms")
}

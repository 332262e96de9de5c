package store

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/service"
)

// plan returns the JSON plan of sql with args, as text to search.
func plan(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) string {
	t.Helper()
	var out []map[string]any
	if err := pool.QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&out); err != nil {
		t.Fatalf("explain: %v\n%s", err, sql)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// explainAnalyze runs sql under EXPLAIN ANALYZE in a transaction it rolls
// back, and returns the plan with its measured times.
func explainAnalyze(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	rows, err := tx.Query(ctx, "EXPLAIN (ANALYZE, BUFFERS) "+sql, args...)
	if err != nil {
		t.Fatalf("explain analyze: %v", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("explain analyze: %v", err)
	}
	return strings.Join(lines, "\n")
}

// seqScans lists the relations a plan reads with a sequential scan.
func seqScans(p string) []string {
	var found []string
	var walk func(any)
	walk = func(n any) {
		switch v := n.(type) {
		case map[string]any:
			if v["Node Type"] == "Seq Scan" {
				found = append(found, v["Relation Name"].(string))
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	var root any
	_ = json.Unmarshal([]byte(p), &root)
	walk(root)
	return found
}

// TestQueryPlansOn10000Rooms checks that listing and searching 10,000
// rooms read indexes, not the whole table.
func TestQueryPlansOn10000Rooms(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	st, err := Open(ctx, testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pool := st.pool
	var trgm bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')`).Scan(&trgm); err != nil || !trgm {
		t.Fatalf("pg_trgm not installed by the migration (%v); the local PostgreSQL ships it", err)
	}
	// 200 users, 50 topics, 10,000 rooms, 20,000 messages with
	// realistic, distinct words.
	for _, sql := range []string{
		`INSERT INTO users (username, email, name)
		 SELECT 'user' || i, 'user' || i || '@example.test', 'User ' || i FROM generate_series(1, 200) i`,
		`INSERT INTO topics (name) SELECT 'topic ' || md5(i::text) FROM generate_series(1, 50) i`,
		`INSERT INTO rooms (host_id, topic_id, name, description, updated)
		 SELECT 2 + i % 200, 1 + i % 50, 'room ' || md5(i::text), 'about ' || md5((i * 7)::text),
		        now() - i * interval '1 minute'
		 FROM generate_series(1, 10000) i`,
		`INSERT INTO messages (room_id, user_id, body) SELECT 1 + i % 10000, 2 + i % 200, 'message ' || i FROM generate_series(1, 20000) i`,
		`INSERT INTO room_participants (room_id, user_id) SELECT DISTINCT room_id, user_id FROM messages`,
		`VACUUM ANALYZE`,
	} {
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}

	type want struct {
		name    string
		sql     string
		args    []any
		indexes []string // each must appear in the plan
	}
	var cases []want
	add := func(name string, q service.RoomQuery, pageIdx, countIdx []string) {
		countSQL, countArgs, pageSQL, pageArgs := listRoomsSQL(q, service.DefaultPerPage)
		cases = append(cases, want{name + " (page)", pageSQL, pageArgs, pageIdx})
		if countIdx != nil {
			cases = append(cases, want{name + " (count)", countSQL, countArgs, countIdx})
		}
	}
	// The unfiltered count has to visit every room; it is the only
	// statement allowed to (and the planner may pick any way to).
	add("first page", service.RoomQuery{Page: 1}, []string{"rooms_updated_idx"}, nil)
	add("page 50", service.RoomQuery{Page: 50}, []string{"rooms_updated_idx"}, nil)
	// A selective search: the matching rooms come from the trigram
	// indexes (combined in a BitmapOr with the topic and host ids that
	// match), never from reading all rooms. users and topics are small
	// here, so the planner may scan those.
	add("search by room name", service.RoomQuery{Q: "5f2b", Page: 1},
		[]string{"rooms_name_trgm_idx", "rooms_description_trgm_idx"}, []string{"rooms_name_trgm_idx", "rooms_description_trgm_idx"})
	add("search by host", service.RoomQuery{Q: "user17", Page: 1}, []string{"rooms_host_idx"}, []string{"rooms_host_idx"})
	add("by host", service.RoomQuery{Page: 1, HostID: 42}, []string{"rooms_host_idx"}, []string{"rooms_host_idx"})
	cases = append(cases,
		want{"room detail messages", messageSelect + ` WHERE m.room_id = $1 AND m.id > $2 ORDER BY m.id`, []any{int64(77), int64(0)},
			[]string{"messages_room_idx"}},
		want{"activity by user", messageSelect + ` WHERE m.user_id = $1 ORDER BY m.created DESC, m.id DESC LIMIT 20`, []any{int64(9)},
			[]string{"messages_user_idx"}},
		want{"activity", messageSelect + ` ORDER BY m.created DESC, m.id DESC LIMIT 20`, nil,
			[]string{"messages_created_idx"}},
		want{"post", createMessageSQL, []any{int64(77), int64(9), "hello"}, []string{"rooms_pkey"}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := plan(t, pool, tc.sql, tc.args...)
			if testing.Verbose() {
				t.Log(p)
				t.Log(explainAnalyze(t, pool, tc.sql, tc.args...))
			}
			if scans := seqScans(p); len(scans) > 0 {
				// Small tables (topics, users) may be scanned;
				// rooms and messages must not.
				for _, rel := range scans {
					if rel == "rooms" || rel == "messages" || rel == "room_participants" {
						t.Errorf("sequential scan of %s:\n%s", rel, p)
					}
				}
			}
			for _, idx := range tc.indexes {
				if !strings.Contains(p, `"`+idx+`"`) {
					t.Errorf("plan does not use %s:\n%s", idx, p)
				}
			}
		})
	}
}

package store

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/service"
)

// TestListingsReuseTheirPlans checks that PostgreSQL stops planning the
// statements behind every page view afresh: after a few runs on one
// connection, each listing and page of a room's messages runs a cached
// generic plan. With LIMIT and OFFSET as parameters it never did, and
// planning the home page's room listing cost more than running it.
func TestListingsReuseTheirPlans(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	u, err := url.Parse(testdb.New(t))
	if err != nil {
		t.Fatal(err)
	}
	// One connection, so every call prepares on the session whose
	// pg_prepared_statements the test reads.
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	st, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	var host int64
	if err := st.pool.QueryRow(ctx, `INSERT INTO users (username, email, name)
VALUES ('planner', 'planner@example.test', 'Planner') RETURNING id`).Scan(&host); err != nil {
		t.Fatal(err)
	}
	room, err := st.CreateRoom(ctx, host, contract.NewRoom{Name: "Plans", Topic: "Databases"})
	if err != nil {
		t.Fatal(err)
	}
	const runs = 8
	for i := range runs {
		if _, err := st.CreateMessage(ctx, room.ID, host, "hello"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ListRooms(ctx, service.RoomQuery{Page: 1}, service.DefaultPerPage); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ListMessages(ctx, service.MessageQuery{Page: 1}, service.MessagesPerPage); err != nil {
			t.Fatal(err)
		}
		after := int64(i)
		if _, err := st.RoomMessages(ctx, room.ID, service.MessageCursor{After: &after}, service.RoomMessagesPerPage); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RoomDetail(ctx, room.ID, 0, service.RoomMessagesPerPage); err != nil {
			t.Fatal(err)
		}
	}

	rows, err := st.pool.Query(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`)
	if err != nil {
		t.Fatal(err)
	}
	type prepared struct {
		SQL             string
		Generic, Custom int64
	}
	stmts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[prepared])
	if err != nil {
		t.Fatal(err)
	}
	listings := 0
	for _, s := range stmts {
		if !strings.Contains(s.SQL, "LIMIT") {
			continue
		}
		listings++
		// PostgreSQL tries a custom plan for the first five runs of a
		// statement with parameters, then keeps the generic one if it
		// costs about the same.
		if s.Generic < runs-5 {
			t.Errorf("planned afresh on %d of %d runs (generic plan %d times):\n%s", s.Custom, s.Generic+s.Custom, s.Generic, s.SQL)
		}
	}
	// The room listing, the activity feed, and a room's messages after
	// a cursor and newest first.
	if listings < 4 {
		t.Errorf("%d prepared listings, want at least 4: %+v", listings, stmts)
	}
}

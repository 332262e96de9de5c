package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/store"
)

func TestMain(m *testing.M) { os.Exit(testdb.Run(m)) }

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// openStore returns a migrated store on a fresh database and a second pool
// for the test's own SQL (arranging data the service cannot create yet,
// and checking what the store wrote).
func openStore(t *testing.T) (*store.Store, *pgxpool.Pool) {
	t.Helper()
	url := testdb.New(t)
	ctx := testContext(t)
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(st.Close)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatalf("pgxpool.New: %v", err)
	}
	t.Cleanup(pool.Close)
	return st, pool
}

// addUser inserts a user directly: registration is not implemented yet.
func addUser(t *testing.T, pool *pgxpool.Pool, username string) int64 {
	t.Helper()
	var id int64
	err := pool.QueryRow(context.Background(),
		`INSERT INTO users (username, email, name) VALUES ($1, $2, $3) RETURNING id`,
		username, username+"@example.test", "User "+username).Scan(&id)
	if err != nil {
		t.Fatalf("add user %s: %v", username, err)
	}
	return id
}

// demoID adds a password-less host user, as 0002 once seeded (0004 removed
// it), a convenient host for store tests.
func demoID(t *testing.T, st *store.Store) int64 {
	t.Helper()
	u, err := st.CreateUser(context.Background(), contract.NewUser{Name: "Demo Host", Username: "demo", Email: "demo@coolroom.local"}, "")
	if err != nil {
		t.Fatalf("demo user: %+v, %v", u, err)
	}
	return u.ID
}

func mustCreate(t *testing.T, st *store.Store, host int64, name, desc, topic string) contract.Room {
	t.Helper()
	r, err := st.CreateRoom(context.Background(), host, contract.NewRoom{Name: name, Description: desc, Topic: topic})
	if err != nil {
		t.Fatalf("CreateRoom(%q): %v", name, err)
	}
	return r
}

func roomNames(p contract.RoomPage) []string {
	names := []string{}
	for _, r := range p.Rooms {
		names = append(names, r.Name)
	}
	return names
}

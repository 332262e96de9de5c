package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coolroom/testbed/lambda/internal/testdb"
	"github.com/coolroom/testbed/lambda/store"
)

// embeddedVersions is the number of files in migrations/; update it with
// each new migration.
const embeddedVersions = 7

// checkMigrated asserts each migration was recorded exactly once and the
// seed ran exactly once.
func checkMigrated(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	var rows, distinct, minV, maxV int
	err := pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT version), min(version), max(version) FROM schema_migrations`).
		Scan(&rows, &distinct, &minV, &maxV)
	if err != nil {
		t.Fatalf("schema_migrations: %v", err)
	}
	if rows != embeddedVersions || distinct != embeddedVersions || minV != 1 || maxV != embeddedVersions {
		t.Errorf("schema_migrations: %d rows, %d distinct, versions %d..%d; want %d once each",
			rows, distinct, minV, maxV, embeddedVersions)
	}
	var demos int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE username = 'demo'`).Scan(&demos); err != nil {
		t.Fatalf("count demo users: %v", err)
	}
	if demos != 0 {
		t.Errorf("demo users = %d, want 0: 0004 removes the password-less Demo Host of 0002", demos)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	_, pool := openStore(t)
	ctx := testContext(t)
	for i := 0; i < 3; i++ {
		if err := store.Migrate(ctx, pool); err != nil {
			t.Fatalf("Migrate #%d: %v", i+2, err)
		}
	}
	checkMigrated(t, pool)
}

func TestMigrateConcurrentColdStarts(t *testing.T) {
	t.Parallel()
	url := testdb.New(t)
	ctx := testContext(t)
	// Five processes cold-starting at once on a fresh database: each opens
	// its own pool and migrates.
	const n = 5
	var wg sync.WaitGroup
	stores := make([]*store.Store, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			stores[i], errs[i] = store.Open(ctx, url)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open #%d: %v", i, err)
			continue
		}
		stores[i].Close()
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	checkMigrated(t, pool)
}

func TestOpenBadURL(t *testing.T) {
	t.Parallel()
	ctx := testContext(t)
	if _, err := store.Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"); err == nil {
		t.Fatal("Open with an unreachable database succeeded")
	} else if strings.Contains(err.Error(), "secret") {
		t.Errorf("error leaks the password: %v", err)
	}
	if _, err := store.Open(ctx, "::not a url::"); err == nil {
		t.Fatal("Open with a malformed URL succeeded")
	}
}

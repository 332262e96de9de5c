// Package testdb gives the lambda packages' tests a real PostgreSQL: one
// throwaway cluster per test binary (started by Run from TestMain) and a
// fresh database per test (New), so tests are isolated yet start fast.
package testdb

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/internal/pgtemp"
)

var (
	cluster *pgtemp.Cluster
	dbSeq   atomic.Int64
)

// Run starts the cluster, runs the tests and stops the cluster; TestMain
// passes its result to os.Exit. Without PostgreSQL binaries on the machine
// it prints why and reports success without running anything, since the
// tests cannot say anything there; any other start-up failure fails.
func Run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	c, err := pgtemp.Start(ctx, pgtemp.Options{Database: "lambda_test"})
	cancel()
	if errors.Is(err, pgtemp.ErrNoBinaries) {
		fmt.Println("skipping tests that need PostgreSQL:", err)
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testdb: start PostgreSQL:", err)
		return 1
	}
	cluster = c
	code := m.Run()
	if err := c.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "testdb: stop PostgreSQL:", err)
	}
	return code
}

// New creates an empty database for t and returns its URL. The database is
// dropped when t ends (after t's own cleanups, which close its pools).
func New(t testing.TB) string {
	t.Helper()
	if cluster == nil {
		t.Fatal("testdb: no cluster; call testdb.Run from TestMain")
	}
	name := fmt.Sprintf("t%d", dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, cluster.URL())
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	defer admin.Close(ctx)
	// CREATE DATABASE takes no parameters; the generated name is quoted.
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	// Registered first, so it runs last: cleanups run in reverse order.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := pgx.Connect(ctx, cluster.URL())
		if err != nil {
			t.Errorf("testdb: connect: %v", err)
			return
		}
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop database: %v", err)
		}
	})
	u, err := url.Parse(cluster.URL())
	if err != nil {
		t.Fatalf("testdb: cluster URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

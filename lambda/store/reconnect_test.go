package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/service"
)

// TestRecoversFromTerminatedConnections kills every connection of the
// store's pool from the server side (what a PostgreSQL restart or a
// failover does) and checks the same Store keeps serving.
func TestRecoversFromTerminatedConnections(t *testing.T) {
	t.Parallel()
	st, admin := openStore(t)
	ctx := testContext(t)
	list := func() error {
		_, err := st.ListRooms(ctx, service.RoomQuery{Page: 1}, 20)
		return err
	}
	kill := func() {
		t.Helper()
		var n int
		// Every backend of this database but the admin pool's own.
		err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
		if err != nil || n == 0 {
			t.Fatalf("terminated %d backends: %v", n, err)
		}
	}
	if err := list(); err != nil {
		t.Fatal(err)
	}
	// As between two Lambda invocations: the idle connection is pinged,
	// found dead and replaced before the request uses it.
	kill()
	time.Sleep(300 * time.Millisecond)
	if err := list(); err != nil {
		t.Errorf("first request after the connections died: %v", err)
	}
	// Back to back, the request may meet the dead connection and fail
	// (as an internal error, without a crash); the next one recovers.
	kill()
	if err := list(); err != nil {
		t.Logf("request on a just-killed connection failed as allowed: %v", err)
	}
	if err := list(); err != nil {
		t.Errorf("second request after the connections died: %v", err)
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Errorf("ping: %v", err)
	}
}

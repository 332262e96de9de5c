package pgtemp

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartQueryStop(t *testing.T) {
	t.Parallel()
	needBinaries(t)
	ctx := context.Background()
	c, err := Start(ctx, Options{Database: "probe"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		c.Stop()
		t.Fatal(err)
	}
	var db, syncCommit string
	if err := conn.QueryRow(ctx, "SELECT current_database(), current_setting('synchronous_commit')").Scan(&db, &syncCommit); err != nil {
		t.Fatal(err)
	}
	// An acknowledged commit must survive a crashed backend (see the
	// kill test in tests/).
	if syncCommit != "on" {
		t.Errorf("synchronous_commit = %q, want on", syncCommit)
	}
	conn.Close(ctx)
	if db != "probe" {
		t.Errorf("current_database() = %q, want probe", db)
	}
	pid, dir := c.PID(), c.Dir()
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Errorf("postgres pid %d still alive after Stop", pid)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cluster dir %s still exists after Stop (err=%v)", dir, err)
	}
}

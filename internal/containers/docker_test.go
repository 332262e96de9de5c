package containers

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/internal/config"
)

// TestStartWithoutDockerIsAClearError points DOCKER_HOST at a socket that
// does not exist: every entry point answers ErrNoDocker (instead of
// panicking, or quietly using another engine), whether or not this machine
// runs one.
func TestStartWithoutDockerIsAClearError(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "no-docker.sock")
	t.Setenv("DOCKER_HOST", "unix://"+sock)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := Available(ctx)
	if !errors.Is(err, ErrNoDocker) || !strings.Contains(err.Error(), sock) {
		t.Fatalf("Available = %v, want ErrNoDocker naming %s", err, sock)
	}
	if _, err := StartPostgres(ctx, "", nil); !errors.Is(err, ErrNoDocker) {
		t.Errorf("StartPostgres without Docker = %v", err)
	}
	if _, err := StartLocalStack(ctx, LocalStackOptions{}); !errors.Is(err, ErrNoDocker) {
		t.Errorf("StartLocalStack without Docker = %v", err)
	}
}

// TestStartPostgres starts PostgreSQL through testcontainers-go's postgres
// module (POSTGRES_IMAGE selects the image, e.g. the offline stand-in),
// runs a query, and checks Stop removes the container.
func TestStartPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	image, err := config.Get(os.LookupEnv, "POSTGRES_IMAGE") // DefaultPostgresImage when unset
	if err != nil {
		t.Fatal(err)
	}
	if err := Ready(ctx, image); err != nil {
		t.Skipf("testcontainers postgres: %v", err)
	}
	pg, err := StartPostgres(ctx, image, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := pg.Container.GetContainerID()
	stopped := false
	defer func() {
		if !stopped {
			_ = pg.Stop()
		}
	}()
	conn, err := pgx.Connect(ctx, pg.HostURL)
	if err != nil {
		t.Fatalf("connect %s: %v", pg.HostURL, err)
	}
	var user, db string
	if err := conn.QueryRow(ctx, "SELECT current_user, current_database()").Scan(&user, &db); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if user != "coolroom" || db != "coolroom" {
		t.Errorf("connected as %s to %s, want coolroom to coolroom", user, db)
	}
	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	stopped = true
	if out, err := exec.Command("docker", "inspect", id).CombinedOutput(); err == nil {
		t.Errorf("container %s still exists after Stop:\n%.300s", id, out)
	}
}

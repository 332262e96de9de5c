package containers

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestStartWithoutDockerIsAClearError: on a machine without a Docker
// daemon (like CI here) every entry point answers ErrNoDocker instead of
// panicking; with Docker, PostgreSQL really starts.
func TestStartWithoutDockerIsAClearError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := Available(ctx); err != nil {
		if !errors.Is(err, ErrNoDocker) {
			t.Fatalf("Available = %v, want ErrNoDocker", err)
		}
		if _, err := StartPostgres(ctx, "", nil); !errors.Is(err, ErrNoDocker) {
			t.Errorf("StartPostgres without Docker = %v", err)
		}
		if _, err := StartLocalStack(ctx, LocalStackOptions{}); !errors.Is(err, ErrNoDocker) {
			t.Errorf("StartLocalStack without Docker = %v", err)
		}
		t.Skipf("no Docker here, so only the error path ran: %v", err)
	}
	pg, err := StartPostgres(ctx, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop()
	if pg.HostURL == "" {
		t.Error("no host URL")
	}
}

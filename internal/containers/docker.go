// Package containers starts the Docker side of the testbed through
// testcontainers-go: PostgreSQL and LocalStack on one network, for the
// localstack target and as a PostgreSQL fallback when no local binaries
// exist. Every entry point first checks that a Docker daemon answers, so on
// a machine without one the caller gets a clear error (tests skip on it).
package containers

import (
	"context"
	"errors"
	"fmt"

	"github.com/testcontainers/testcontainers-go"
)

// ErrNoDocker wraps every "Docker is not reachable" failure.
var ErrNoDocker = errors.New("no reachable Docker daemon (testcontainers needs one: start Docker or set DOCKER_HOST)")

// Available reports whether a Docker daemon answers. testcontainers-go
// panics in some paths when no daemon is configured, so this guards them.
func Available(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrNoDocker, r)
		}
	}()
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	defer provider.Close()
	if err := provider.Health(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	return nil
}

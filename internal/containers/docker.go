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
	"net"
	"net/url"
	"os"
	"time"

	"github.com/testcontainers/testcontainers-go"
)

// ErrNoDocker wraps every "Docker is not reachable" failure.
var ErrNoDocker = errors.New("no reachable Docker daemon (testcontainers needs one: start Docker or set DOCKER_HOST)")

// Available reports whether a Docker daemon answers. testcontainers-go
// panics in some paths when no daemon is configured, so this guards them.
func Available(ctx context.Context) (err error) {
	if err := dockerHostAnswers(ctx, os.Getenv("DOCKER_HOST")); err != nil {
		return err
	}
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

// dockerHostAnswers checks the engine DOCKER_HOST names, when it is set.
// testcontainers-go would quietly fall back to the default socket when the
// named engine does not answer, running the containers on another engine
// than the one the user chose; an explicit DOCKER_HOST must answer.
func dockerHostAnswers(ctx context.Context, host string) error {
	if host == "" {
		return nil
	}
	u, err := url.Parse(host)
	if err != nil {
		return fmt.Errorf("%w: DOCKER_HOST=%q: %v", ErrNoDocker, host, err)
	}
	network, addr := u.Scheme, u.Host
	switch u.Scheme {
	case "unix":
		addr = u.Path
	case "tcp":
		network = "tcp"
	default:
		return nil // ssh://, npipe://: left to the Docker client
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return fmt.Errorf("%w: DOCKER_HOST=%s does not answer: %v", ErrNoDocker, host, err)
	}
	return conn.Close()
}

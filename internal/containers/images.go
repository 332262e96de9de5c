package containers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/testcontainers/testcontainers-go"
)

// ErrImageMissing wraps "an image this needs is not on the Docker host".
var ErrImageMissing = errors.New("image not on the Docker host")

// ReaperImage is testcontainers-go's reaper (Ryuk) image, started beside
// every test's containers unless TESTCONTAINERS_RYUK_DISABLED=true.
const ReaperImage = "testcontainers/ryuk:0.14.0"

// Ready reports whether containers from these images can start here
// without pulling: Docker answers, each image is present, and so is Ryuk
// unless it is disabled. Where no registry is reachable (our CI), a pull
// fails only after a wait; callers skip with this error instead, and
// scripts/docker-offline makes the images.
func Ready(ctx context.Context, images ...string) error {
	if err := Available(ctx); err != nil {
		return err
	}
	if off, _ := strconv.ParseBool(os.Getenv("TESTCONTAINERS_RYUK_DISABLED")); !off {
		images = append(images, ReaperImage)
	}
	provider, err := testcontainers.NewDockerProvider()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	defer provider.Close()
	// Where it finds a /.dockerenv, testcontainers-go reaches published
	// ports through the default gateway; tests here talk to loopback only.
	host, err := provider.DaemonHost(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoDocker, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("%w: testcontainers would reach containers at %s, not on loopback (a local engine: set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1)", ErrNoDocker, host)
	}
	var missing []string
	for _, img := range images {
		if _, err := provider.Client().ImageInspect(ctx, img); err != nil {
			missing = append(missing, img)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %v (pull them, or where there is no registry: eval \"$(scripts/docker-offline)\", docker compose build)", ErrImageMissing, missing)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

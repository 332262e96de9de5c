package httpserver

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is what Run serves: an *http.Server, or the emulator's server,
// whose Shutdown also stops its Lambda processes.
type Server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
}

// ShutdownTimeout is how long Run lets in-flight requests finish once
// asked to stop.
const ShutdownTimeout = 10 * time.Second

// Run serves on ln until ctx is cancelled (SIGINT, SIGTERM or SIGHUP in the
// CLIs), then shuts srv down within ShutdownTimeout; a serving error ends
// it early. The app replica (`coolroom app`) and the emulator both run
// this way.
func Run(ctx context.Context, srv Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

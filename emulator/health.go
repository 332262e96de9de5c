package emulator

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/coolroom/testbed/internal/platform"
)

// version is what the health endpoint reports; LocalStack clients only
// check that the field exists.
const version = "coolroom-emulator-0.1"

// handleHealth answers GET/HEAD /_localstack/health in LocalStack's shape:
// {"services": {"s3": "running", …}, "edition": …, "version": …}.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"services": map[string]string{
			"s3":           "running",
			"lambda":       "running",
			"apigateway":   "running",
			"apigatewayv2": "running",
		},
		"edition":        "community",
		"version":        version,
		"uptime_seconds": int(time.Since(s.started).Seconds()),
		// Not in LocalStack's shape: the GOOS/GOARCH of the bootstrap
		// binaries this emulator runs (natively, so its own), for
		// `coolroom deploy`: darwin/arm64 on a Mac, linux/<arch> in a container.
		"lambdaPlatform": platform.Host(),
	})
}

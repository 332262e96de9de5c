package deploy

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// EmulatorPlatform asks an emulator at endpoint which GOOS/GOARCH it runs
// functions for (its health endpoint's lambdaPlatform): the host's for
// `coolroom emulator` on a Mac, linux/<arch> in a container. ok is false for
// LocalStack and anything else that does not say; build for linux then.
func EmulatorPlatform(ctx context.Context, endpoint string) (goos, goarch string, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+"/_localstack/health", nil)
	if err != nil {
		return "", "", false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", "", false
	}
	defer resp.Body.Close()
	var health struct {
		LambdaPlatform string `json:"lambdaPlatform"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&health) != nil {
		return "", "", false
	}
	goos, goarch, ok = strings.Cut(health.LambdaPlatform, "/")
	return goos, goarch, ok && goos != "" && goarch != ""
}

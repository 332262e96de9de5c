package deploy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// smokeTimeout bounds the wait for the first healthy answer: a cold start
// connects to PostgreSQL and applies migrations, which a busy laptop can
// take a while to do.
const smokeTimeout = 90 * time.Second

// WaitHealthy calls GET <invoke URL>/health through API Gateway until the
// data service answers 200. It proves the whole path works before anyone
// uses it, and takes the first cold start (with its migrations) off the
// first user's request.
func (d *Deployer) WaitHealthy(ctx context.Context, invokeURL string) error {
	ctx, cancel := context.WithTimeout(ctx, smokeTimeout)
	defer cancel()
	start := time.Now()
	client := &http.Client{Timeout: 35 * time.Second}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, invokeURL+"/health", nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				d.log.Info("data API is healthy through API Gateway", "url", invokeURL+"/health", "took", time.Since(start).Round(time.Millisecond))
				return nil
			}
			err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
		}
		d.log.Warn("data API not healthy yet", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("the data API at %s did not become healthy within %s: %w", invokeURL, smokeTimeout, err)
		case <-time.After(time.Duration(attempt) * 250 * time.Millisecond):
		}
	}
}

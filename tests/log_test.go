package tests

import (
	"log/slog"
	"os"
	"testing"
)

// testLogger logs to the test output, or to stderr with -v as well when
// COOLROOM_E2E_LOG=1, so a failing run shows every hop.
func testLogger(t *testing.T) *slog.Logger {
	if e2e, _ := suiteConfig(); e2e.Log {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p[:len(p)-1]))
	return len(p), nil
}

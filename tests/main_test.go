package tests

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/stack"
)

// shared is one stack for the page, permission, XSS, browser and
// benchmark tests; starting PostgreSQL and deploying once keeps the suite
// fast. TestWalkingSkeleton starts its own, because it kills processes
// and shuts its stack down.
var shared struct {
	once sync.Once
	st   *stack.Stack
	err  error
	skip string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.st != nil {
		if err := shared.st.Close(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "closing the shared stack:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// sharedStack starts the shared stack on first use.
func sharedStack(tb testing.TB) *stack.Stack {
	tb.Helper()
	shared.once.Do(func() {
		dbURL := os.Getenv("DATABASE_URL")
		var w io.Writer = io.Discard
		level := slog.LevelWarn
		if os.Getenv("COOLROOM_E2E_LOG") == "1" {
			w, level = os.Stderr, slog.LevelDebug
		} else {
			w = os.Stderr // warnings and errors only: a failing hop shows up
		}
		shared.st, shared.skip, shared.err = startStackWith(dbURL, slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})), "shared")
	})
	if shared.skip != "" {
		tb.Skip(shared.skip)
	}
	if shared.err != nil {
		tb.Fatalf("start shared stack: %v", shared.err)
	}
	return shared.st
}

func startStackWith(dbURL string, log *slog.Logger, suffix string) (*stack.Stack, string, error) {
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		return nil, "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	opts := stack.Options{
		Logger:       log,
		EmulatorAddr: "127.0.0.1:0",
		AppAddr:      "127.0.0.1:0",
		DatabaseURL:  dbURL,
		SourceDir:    root,
		Region:       "us-east-1",
		Bucket:       bucket + "-" + suffix,
		FunctionName: function,
		APIName:      apiName,
		// Fast polling keeps the live-update checks short.
		PollInterval: 500 * time.Millisecond,
	}
	skip, err := applyTarget(&opts)
	if err != nil || skip != "" {
		return nil, skip, err
	}
	st, err := stack.Start(ctx, opts)
	return st, "", err
}

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
	"github.com/coolroom/testbed/internal/browsertest"
	"github.com/coolroom/testbed/internal/paralleltest"
	"github.com/coolroom/testbed/internal/stack"
)

// shared is one stack for the page, permission, XSS, browser and
// benchmark tests; starting PostgreSQL and deploying once keeps the suite
// fast. TestWalkingSkeleton starts its own, because it kills processes
// and shuts its stack down; TestDrills uses ownStack.
var shared struct {
	once sync.Once
	st   *stack.Stack
	err  error
	skip string
}

func TestMain(m *testing.M) {
	// Most of these tests wait (on Chromium, Docker, cold starts, a
	// gateway timeout): four at a time per CPU.
	paralleltest.PerCPU(4)
	code := m.Run()
	browsertest.Stop()
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
		e2e, _ := suiteConfig() // an error stops startStackWith's applyTarget
		dbURL := e2e.DatabaseURL
		var w io.Writer = io.Discard
		level := slog.LevelWarn
		if e2e.Log {
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

// ownStack starts a stack of the test's own beside the shared one: its
// own emulator (function configuration, console, traces) and app, deployed
// on the shared stack's PostgreSQL. The drills break their function, so
// with a stack of their own they run in parallel with the rest instead of
// alone. It runs on the emulator target only.
func ownStack(t *testing.T, name string, opts ...func(*stack.Options)) *stack.Stack {
	t.Helper()
	sh := sharedStack(t)
	skipUnlessEmulator(t, sh)
	st, skip, err := startStackWith(sh.DatabaseURL, testLogger(t), name, opts...)
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatalf("start the %s stack: %v", name, err)
	}
	t.Cleanup(func() {
		if err := st.Close(context.Background()); err != nil {
			t.Errorf("close the %s stack: %v", name, err)
		}
	})
	return st
}

func startStackWith(dbURL string, log *slog.Logger, suffix string, with ...func(*stack.Options)) (*stack.Stack, string, error) {
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
	for _, f := range with {
		f(&opts)
	}
	skip, err := applyTarget(&opts)
	if err != nil || skip != "" {
		return nil, skip, err
	}
	st, err := stack.Start(ctx, opts)
	return st, "", err
}

// Command emulator is the emulator alone in a lean binary: what the
// container image runs and what the start-up and memory benchmarks measure
// (`coolroom emulator` does the same inside the full CLI, whose larger
// binary costs a few MiB more resident memory).
//
// Flags: -data-dir DIR (or COOLROOM_DATA_DIR) keeps state across restarts.
// Environment: COOLROOM_EMULATOR_ADDR (default 127.0.0.1:4566; use
// 0.0.0.0:4566 in a container), AWS_REGION (default us-east-1),
// COOLROOM_LOG_LEVEL (info); COOLROOM_EMULATOR_HOSTS, EXTRA_CORS_ALLOWED_ORIGINS,
// DISABLE_CORS_CHECKS and LOCALSTACK_HOST (who may call it besides loopback
// clients; see emulator.GuardConfig).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/platform"
)

func main() {
	addr := getenv("COOLROOM_EMULATOR_ADDR", emulator.DefaultAddr)
	// `emulator healthcheck` is the container healthcheck: the runtime
	// image has no curl.
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(addr))
	}
	if err := platform.LocalRunError(runtime.GOOS); err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
	dataDir := flag.String("data-dir", getenv("COOLROOM_DATA_DIR", ""),
		"keep state (buckets, objects, functions, APIs) in this directory across restarts")
	flag.Parse()
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(strings.ToUpper(getenv("COOLROOM_LOG_LEVEL", "info"))))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	emu, err := emulator.New(emulator.Config{Logger: log, Region: getenv("AWS_REGION", "us-east-1"), DataDir: *dataDir,
		Guard: emulator.ParseGuardConfig(os.Getenv("COOLROOM_EMULATOR_HOSTS"), os.Getenv("EXTRA_CORS_ALLOWED_ORIGINS"),
			os.Getenv("DISABLE_CORS_CHECKS"), os.Getenv("LOCALSTACK_HOST"))})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "emulator: listen on %s: %v\n", addr, err)
		os.Exit(1)
	}
	log.Info("emulator listening", "url", "http://"+ln.Addr().String(), "health", "http://"+ln.Addr().String()+"/_localstack/health")
	if err := emu.Run(ctx, ln); err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
}

func healthcheck(addr string) int {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get("http://127.0.0.1:" + port + "/_localstack/health")
	if err != nil {
		fmt.Fprintln(os.Stderr, "healthcheck:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "healthcheck: status", resp.StatusCode)
		return 1
	}
	return 0
}

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

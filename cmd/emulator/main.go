// Command emulator is the emulator alone in a lean binary: what the
// container image runs and what the start-up and memory benchmarks measure
// (`coolroom emulator` does the same inside the full CLI, whose larger
// binary costs a few MiB more resident memory).
//
// Flags: -data-dir DIR (or COOLROOM_DATA_DIR) keeps state across restarts.
// Environment (read by internal/config; `coolroom help` lists it all):
// COOLROOM_EMULATOR_ADDR (use 0.0.0.0:4566 in a container), AWS_REGION,
// COOLROOM_LOG_LEVEL; COOLROOM_EMULATOR_HOSTS, EXTRA_CORS_ALLOWED_ORIGINS,
// DISABLE_CORS_CHECKS and LOCALSTACK_HOST (who may call it besides loopback
// clients; see emulator.GuardConfig); COOLROOM_PYTHON and COOLROOM_NODE (the
// interpreters of python3.x and nodejs functions; unset, found on PATH).
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
	"syscall"
	"time"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/platform"
)

func main() {
	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "emulator: configuration:\n%v\n", err)
		os.Exit(2)
	}
	// `emulator healthcheck` is the container healthcheck: the runtime
	// image has no curl.
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(cfg.EmulatorAddr))
	}
	if err := platform.LocalRunError(runtime.GOOS); err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
	dataDir := flag.String("data-dir", cfg.DataDir,
		"keep state (buckets, objects, functions, APIs) in this directory across restarts")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	g := cfg.Guard
	emu, err := emulator.New(emulator.Config{Logger: log, Region: cfg.Region, DataDir: *dataDir,
		Guard:        emulator.ParseGuardConfig(g.Hosts, g.CORSOrigins, g.DisableCORSChecks, g.LocalStackHost),
		LambdaPython: cfg.Python, LambdaNode: cfg.Node})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulator:", err)
		os.Exit(1)
	}
	addr := cfg.EmulatorAddr
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

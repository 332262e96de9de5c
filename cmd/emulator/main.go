// Command emulator is the emulator alone in a lean binary: what the
// container image runs and what the start-up and memory benchmarks measure
// (`coolroom emulator` does the same inside the full CLI, whose larger
// binary costs a few MiB more resident memory).
//
// Environment: COOLROOM_EMULATOR_ADDR (default 127.0.0.1:4566; use
// 0.0.0.0:4566 in a container), AWS_REGION (default us-east-1),
// COOLROOM_LOG_LEVEL (info).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/coolroom/testbed/emulator"
)

func main() {
	addr := getenv("COOLROOM_EMULATOR_ADDR", emulator.DefaultAddr)
	level := slog.LevelInfo
	_ = level.UnmarshalText([]byte(strings.ToUpper(getenv("COOLROOM_LOG_LEVEL", "info"))))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	emu, err := emulator.New(emulator.Config{Logger: log, Region: getenv("AWS_REGION", "us-east-1")})
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

func getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

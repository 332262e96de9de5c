package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/config"
)

// runEmulator serves the emulator alone until SIGINT/SIGTERM.
func runEmulator(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	emu, err := emulator.New(emulator.Config{Logger: log, Region: cfg.Region, DataDir: cfg.DataDir, Guard: guardConfig(cfg.Guard),
		LambdaPython: cfg.Python, LambdaNode: cfg.Node})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.EmulatorAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.EmulatorAddr, err)
	}
	fmt.Fprintf(out, "Emulator (S3, Lambda, API Gateway) on http://%s — health: http://%s/_localstack/health\n", ln.Addr(), ln.Addr())
	return emu.Run(ctx, ln)
}

// guardConfig is the emulator's guard as the environment configures it.
func guardConfig(g config.Guard) emulator.GuardConfig {
	return emulator.ParseGuardConfig(g.Hosts, g.CORSOrigins, g.DisableCORSChecks, g.LocalStackHost)
}

// Command coolroom runs The Cool Room testbed: `coolroom up` starts the
// emulator, PostgreSQL, the deployed data service and the web app;
// `coolroom emulator` runs the emulator alone.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/coolroom/testbed/internal/platform"
)

// processStart is when this process started: `up` reports its first 200
// from here.
var processStart = time.Now()

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "help"
	if len(args) > 0 {
		cmd = args[0]
	}
	cfg := loadConfig()
	log := newLogger(stderr, cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	var err error
	switch cmd {
	case "up", "emulator":
		// Both run functions (and `up` PostgreSQL) as local processes.
		err = platform.LocalRunError(runtime.GOOS)
	}
	if err != nil {
		fmt.Fprintf(stderr, "coolroom %s: %v\n", cmd, err)
		return 1
	}
	switch cmd {
	case "up":
		err = runUp(ctx, args[1:], cfg, log, stdout)
	case "emulator":
		err = runEmulator(ctx, cfg, log, stdout)
	case "app":
		err = runApp(ctx, cfg, log, stdout)
	case "deploy":
		err = runDeploy(ctx, cfg, log, stdout)
	case "destroy":
		err = runDestroy(ctx, cfg, log, stdout)
	case "package":
		err = runPackage(ctx, args[1:], log, stdout)
	case "load":
		err = runLoad(ctx, cfg, args[1:], log, stdout)
	case "drill":
		err = runDrill(ctx, cfg, args[1:], stdout)
	case "secrets":
		err = runSecrets(args[1:], stdout)
	case "help", "-h", "--help":
		usage(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "coolroom: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "coolroom %s: %v\n", cmd, err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprint(w, `coolroom — The Cool Room testbed: a chat app on a locally emulated AWS.

Usage:
  coolroom up [--empty]  start emulator, PostgreSQL, deploy the Lambda + HTTP API, start the app,
                     seed a demo classroom (--empty: start bare)
  coolroom emulator   run the S3 / Lambda / API Gateway emulator alone
  coolroom app        run one web-app replica against an existing deployment (containers)
  coolroom deploy     provision bucket, Lambda and API on COOLROOM_TARGET (emulator, localstack, aws)
  coolroom destroy    remove everything deploy created on COOLROOM_TARGET
  coolroom drill crash|slow|throttle|dbdown|restore
                      break the deployed data service on purpose (or restore it) through the
                      Lambda API of COOLROOM_TARGET (default: the emulator of a running up)
  coolroom package -o FILE.zip   build the data service's Lambda zip
  coolroom load [-url URL] [-users 50] [-posts 20] [-think 0s]
                      simulated users through the app; prints per-action latencies, checks every post
  coolroom secrets DIR           create random token/session secrets in DIR (for containers)
  coolroom help       this text

Environment (defaults in brackets):
`)
	for _, v := range append(envVars, targetVars...) {
		def := v.def
		if def == "" {
			def = "unset"
		}
		fmt.Fprintf(w, "  %-26s %s [%s]\n", v.name, v.doc, def)
	}
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

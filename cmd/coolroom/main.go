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
	"syscall"
	"time"

	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/platform"
)

// processStart is when this process started: `up` reports its first 200
// from here.
var processStart = time.Now()

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := Main(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of Main.
const (
	exitOK     = 0
	exitFailed = 1 // the command ran and failed
	exitUsage  = 2 // unknown command or bad configuration: nothing ran
)

// Main runs the command args name with the environment env until it ends
// or ctx is cancelled (SIGINT, SIGTERM, SIGHUP in main), and returns the
// process's exit code.
func Main(ctx context.Context, args []string, env config.Lookup, stdout, stderr io.Writer) int {
	cmd := "help"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help", "-h", "--help":
		usage(stdout)
		return exitOK
	}
	run, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "coolroom: unknown command %q\n\n", cmd)
		usage(stderr)
		return exitUsage
	}
	cfg, err := config.Load(env)
	if err != nil {
		fmt.Fprintf(stderr, "coolroom %s: configuration (see coolroom help):\n%v\n", cmd, err)
		return exitUsage
	}
	switch cmd {
	case "up", "emulator":
		// Both run functions (and `up` PostgreSQL) as local processes.
		if err := platform.LocalRunError(runtime.GOOS); err != nil {
			fmt.Fprintf(stderr, "coolroom %s: %v\n", cmd, err)
			return exitFailed
		}
	}
	c := command{cfg: cfg, args: args, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})), out: stdout}
	if err := run(ctx, c); err != nil {
		fmt.Fprintf(stderr, "coolroom %s: %v\n", cmd, err)
		return exitFailed
	}
	return exitOK
}

// command is what every command runs with.
type command struct {
	cfg  config.Config
	args []string
	log  *slog.Logger
	out  io.Writer
}

// commands are the CLI's commands by name (help aside).
var commands = map[string]func(context.Context, command) error{
	"up":       func(ctx context.Context, c command) error { return runUp(ctx, c.args, c.cfg, c.log, c.out) },
	"emulator": func(ctx context.Context, c command) error { return noArgs(ctx, c, runEmulator) },
	"app":      func(ctx context.Context, c command) error { return noArgs(ctx, c, runApp) },
	"deploy":   func(ctx context.Context, c command) error { return noArgs(ctx, c, runDeploy) },
	"destroy":  func(ctx context.Context, c command) error { return noArgs(ctx, c, runDestroy) },
	"package":  func(ctx context.Context, c command) error { return runPackage(ctx, c.cfg, c.args, c.log, c.out) },
	"load":     func(ctx context.Context, c command) error { return runLoad(ctx, c.cfg, c.args, c.log, c.out) },
	"drill":    func(ctx context.Context, c command) error { return runDrill(ctx, c.cfg, c.args, c.out) },
	"secrets":  func(_ context.Context, c command) error { return runSecrets(c.args, c.out) },
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
`)
	config.WriteHelp(w)
}

// noArgs runs a command that takes no arguments, refusing any.
func noArgs(ctx context.Context, c command, run func(context.Context, config.Config, *slog.Logger, io.Writer) error) error {
	if len(c.args) > 0 {
		return fmt.Errorf("unexpected argument %q: this command takes none (settings come from the environment, see coolroom help)", c.args[0])
	}
	return run(ctx, c.cfg, c.log, c.out)
}

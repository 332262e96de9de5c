package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/load"
	"github.com/coolroom/testbed/internal/stack"
)

// runLoad drives simulated users through the app and prints per-action
// latencies; it fails when any action failed or an acknowledged post is
// missing. Without -url it starts its own stack on free ports.
func runLoad(ctx context.Context, cfg config.Config, args []string, log *slog.Logger, out io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(out)
	appURL := fs.String("url", "", "the app of a running `coolroom up` (e.g. http://127.0.0.1:8000); empty starts a stack of its own")
	users := fs.Int("users", 50, "simulated users, all at once")
	posts := fs.Int("posts", 20, "messages each user posts")
	duration := fs.Duration("duration", 0, "post for this long instead of -posts messages each (e.g. 2m)")
	think := fs.Duration("think", 0, "a user's pause between two posts, jittered ±50% (0: as fast as the app answers)")
	rooms := fs.Int("rooms", 0, "rooms to create before the run, so the home page is measured with many (e.g. 1000)")
	poll := fs.Duration("poll", 2*time.Second, "how often each user's open room polls for new messages, as the page does (0: never)")
	emulatorURL := fs.String("emulator", "http://127.0.0.1:4566", "the emulator of the running stack, whose console reports Lambda scaling (with -url)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *users < 1 || *posts < 1 || *think < 0 || *rooms < 0 || *poll < 0 || *duration < 0 {
		return errors.New("-users and -posts must be at least 1, -think, -rooms, -poll and -duration not negative")
	}
	pollText := "every " + poll.String()
	if *poll == 0 {
		*poll, pollText = -1, "never" // load.Options: negative is never
	}
	self := *appURL == ""
	if self {
		st, err := startLoadStack(ctx, cfg, log, out)
		if err != nil {
			return err
		}
		defer func() { _ = st.Close(context.Background()) }()
		*appURL, *emulatorURL = st.AppURL, st.EmulatorURL
	}
	if *rooms > 0 {
		fmt.Fprintf(out, "Creating %d rooms first…\n", *rooms)
		if err := load.SeedRooms(ctx, *appURL, *rooms, os.Stderr); err != nil {
			return err
		}
	}
	what := fmt.Sprintf("%d users × %d posts", *users, *posts)
	if *duration > 0 {
		what = fmt.Sprintf("%d users posting for %s", *users, *duration)
	}
	fmt.Fprintf(out, "Load: %s (think time %s, rooms polled %s, home page every 5th post) against %s\n", what, *think, pollText, *appURL)
	rep, err := load.Run(ctx, load.Options{BaseURL: *appURL, Users: *users, Posts: *posts, Duration: *duration, Think: *think, Poll: *poll,
		Progress: os.Stderr, EmulatorURL: *emulatorURL, SameProcess: self})
	if rep != nil {
		rep.Print(out)
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		if rep.Errors == 0 && rep.Missing == 0 {
			return fmt.Errorf("only %d posts acknowledged", rep.Acknowledged)
		}
		return fmt.Errorf("%d errors, %d of %d acknowledged posts missing", rep.Errors, rep.Missing, rep.Acknowledged)
	}
	return nil
}

// startLoadStack starts the same stack as `coolroom up`, on free ports.
func startLoadStack(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) (*stack.Stack, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root, err := deploy.FindModuleRoot(wd)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(out, "Starting a stack of its own (emulator, PostgreSQL, Lambda, app)…")
	return stack.Start(ctx, stack.Options{
		Logger: log, EmulatorAddr: "127.0.0.1:0", AppAddr: "127.0.0.1:0", DatabaseURL: cfg.DatabaseURL,
		SourceDir: root, Region: cfg.Region, Bucket: cfg.Bucket, FunctionName: cfg.FunctionName, APIName: cfg.APIName,
	})
}

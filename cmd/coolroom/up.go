package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/coolroom/testbed/internal/classroom"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/stack"
)

// upFlags are the options of `coolroom up`.
type upFlags struct {
	// empty starts without the demo classroom.
	empty bool
}

func parseUpFlags(args []string, cfg config.Config) (upFlags, error) {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f upFlags
	fs.BoolVar(&f.empty, "empty", cfg.Empty,
		"start without the demo classroom (also COOLROOM_EMPTY=1)")
	if err := fs.Parse(args); err != nil {
		return f, fmt.Errorf("%w (usage: coolroom up [--empty])", err)
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q (usage: coolroom up [--empty])", fs.Arg(0))
	}
	return f, nil
}

// runUp starts the whole stack and keeps it running until SIGINT/SIGTERM,
// then shuts everything down.
func runUp(ctx context.Context, args []string, cfg config.Config, log *slog.Logger, out io.Writer) error {
	flags, err := parseUpFlags(args, cfg)
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := checkoutRoot(wd)
	if err != nil {
		return err
	}
	if cfg.TokenSecret == "" || cfg.SessionSecret == "" {
		// Kept across runs, so a restart does not log everyone out.
		dir, err := config.DevSecretsDir()
		if err != nil {
			return err
		}
		if err := cfg.KeepSecrets(dir); err != nil {
			return fmt.Errorf("development secrets in %s: %w", dir, err)
		}
		log.Debug("token and session secrets kept in the user config dir", "dir", dir)
	}
	fmt.Fprintln(out, "Starting The Cool Room…")
	stackBegin := time.Now()
	st, err := stack.Start(ctx, stack.Options{
		Logger:         log,
		EmulatorAddr:   cfg.EmulatorAddr,
		AppAddr:        cfg.AppAddr,
		DatabaseURL:    cfg.DatabaseURL,
		SourceDir:      root,
		Region:         cfg.Region,
		Bucket:         cfg.Bucket,
		FunctionName:   cfg.FunctionName,
		APIName:        cfg.APIName,
		TokenSecret:    cfg.TokenSecret,
		SessionSecret:  cfg.SessionSecret,
		AvatarBucket:   cfg.AvatarBucket,
		AvatarMaxBytes: cfg.AvatarMaxBytes,
		EmulatorGuard:  guardConfig(cfg.Guard),
	})
	if err != nil {
		return err
	}
	started := time.Now()
	first200, err := firstOK(ctx, st.AppURL+"/")
	if err != nil {
		_ = st.Close(context.Background())
		return err
	}
	steps := append(st.Steps(), stack.Step{Name: "first page", At: started.Sub(stackBegin), Took: time.Since(started),
		Notes: "GET / until 200"})
	fmt.Fprintf(out, "First 200 from the app after %s.\n", first200.Round(time.Millisecond))
	fmt.Fprintf(out, "  Steps (+start, took), after %s of process start: %s\n", stackBegin.Sub(processStart).Round(time.Millisecond),
		stack.FormatSteps(steps))
	var seeded *classroom.Result
	if !flags.empty {
		if seeded, err = st.SeedClassroom(ctx, log); err != nil {
			_ = st.Close(context.Background())
			return err
		}
	}
	pg := "PostgreSQL from DATABASE_URL"
	if st.Postgres != nil {
		pg = fmt.Sprintf("throwaway PostgreSQL on 127.0.0.1:%d (%s)", st.Postgres.Port(), st.Postgres.Dir())
	}
	fmt.Fprintf(out, `
The Cool Room is up (%s). Every hop is real:
  1. Browser      → app             %s
  2. App          → API Gateway     %s   (HTTP API, payload 2.0)
  3. API Gateway  → Lambda %q     a bootstrap process speaking the Runtime API
                                     (%s)
  4. Lambda       → %s
  5. App          → S3              s3://%s/static/ and avatars, at %s
  Console: %s/_console   (buckets, functions, APIs, live request traces with Lambda logs)
  AWS SDKs/CLI: AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
`, time.Since(processStart).Round(time.Millisecond), st.AppURL, st.Deploy.InvokeURL, cfg.FunctionName, st.LambdaBuilt, pg, cfg.Bucket, st.EmulatorURL,
		st.EmulatorURL, st.EmulatorURL)
	printClassroom(out, seeded, flags.empty)
	// With the first page shown and the classroom seeded, copy the
	// PostgreSQL template for the next `up` now, so that start takes it
	// with one rename (see pgtemp.Cluster.PrepareSpare); a stop waits for
	// the copy (about a second) rather than leave half of one.
	spareDone := make(chan struct{})
	go func() {
		defer close(spareDone)
		if st.Postgres == nil {
			return
		}
		if err := st.Postgres.PrepareSpare(); err != nil {
			log.Warn("could not prepare a PostgreSQL data dir for the next up; it will copy the template", "err", err)
		}
	}()
	select {
	case <-ctx.Done():
	case err := <-st.EmulatorErr():
		log.Error("emulator stopped", "err", err)
	}
	fmt.Fprintln(out, "\nShutting down: app, Lambda instances, emulator, PostgreSQL…")
	<-spareDone
	if err := st.Close(context.Background()); err != nil {
		return err
	}
	fmt.Fprintln(out, "Stopped. Nothing left running.")
	return nil
}

// firstOK polls url until it answers 200 and returns the time since the
// process started: the figure `up` is measured by.
func firstOK(ctx context.Context, url string) (time.Duration, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(processStart), nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return 0, fmt.Errorf("the app at %s never answered 200: %w", url, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// printClassroom ends the banner with the demo logins.
func printClassroom(out io.Writer, res *classroom.Result, empty bool) {
	switch {
	case empty:
		fmt.Fprintln(out, "Started empty (--empty): register the first user in the app.")
	case res.Skipped:
		fmt.Fprintln(out, "The database already had rooms, so no demo classroom was added. Demo logins, if it has them:")
	default:
		fmt.Fprintf(out, "Demo classroom: %d users, %d topics, %d rooms, %d messages. Log in as any of:\n",
			len(res.Logins), res.Topics, res.Rooms, res.Messages)
	}
	if !empty {
		for _, l := range res.Logins {
			fmt.Fprintf(out, "  %-12s %-22s password %s\n", l.Name, l.Email, l.Password)
		}
	}
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
}

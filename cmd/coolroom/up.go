package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/stack"
)

// runUp starts the whole stack and keeps it running until SIGINT/SIGTERM,
// then shuts everything down.
func runUp(ctx context.Context, cfg config, log *slog.Logger, out io.Writer) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := deploy.FindModuleRoot(wd)
	if err != nil {
		return err
	}
	avatarMax, err := cfg.avatarMaxBytes()
	if err != nil {
		return err
	}
	start := time.Now()
	fmt.Fprintln(out, "Starting The Cool Room…")
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
		AvatarMaxBytes: avatarMax,
		EmulatorGuard:  cfg.guard(),
	})
	if err != nil {
		return err
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
  4. Lambda       → %s
  5. App          → S3              s3://%s/static/ and avatars, at %s
  Console: %s/_console   (buckets, functions, APIs, live request traces with Lambda logs)
  AWS SDKs/CLI: AWS_ENDPOINT_URL=%s AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
Press Ctrl-C to stop.
`, time.Since(start).Round(time.Millisecond), st.AppURL, st.Deploy.InvokeURL, cfg.FunctionName, pg, cfg.Bucket, st.EmulatorURL,
		st.EmulatorURL, st.EmulatorURL)
	select {
	case <-ctx.Done():
	case err := <-st.EmulatorErr():
		log.Error("emulator stopped", "err", err)
	}
	fmt.Fprintln(out, "\nShutting down: app, Lambda instances, emulator, PostgreSQL…")
	if err := st.Close(context.Background()); err != nil {
		return err
	}
	fmt.Fprintln(out, "Stopped. Nothing left running.")
	return nil
}

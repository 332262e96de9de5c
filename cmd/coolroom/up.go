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
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, `
The Cool Room is up (%s).
  App:          %s
  Data API:     %s  (API Gateway HTTP API → Lambda %q → PostgreSQL)
  Emulator:     %s  (S3, Lambda, API Gateway; AWS_ENDPOINT_URL for the AWS CLI/SDKs)
  Static files: s3://%s/static/
Press Ctrl-C to stop.
`, time.Since(start).Round(time.Millisecond), st.AppURL, st.Deploy.InvokeURL, cfg.FunctionName, st.EmulatorURL, cfg.Bucket)
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

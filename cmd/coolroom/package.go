package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
)

// runPackage builds the data service's Lambda zip to a file (`coolroom
// package -o dist/lambda.zip`), for images and for deploys from machines
// without the Go toolchain (COOLROOM_LAMBDA_ZIP).
func runPackage(ctx context.Context, cfg config.Config, args []string, log *slog.Logger, out io.Writer) error {
	if len(args) != 2 || args[0] != "-o" {
		return errors.New("usage: coolroom package -o FILE.zip")
	}
	t := cfg.Target
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := deploy.FindModuleRoot(wd)
	if err != nil {
		return err
	}
	// Always Linux: the zip is for images, LocalStack and AWS.
	log.Info("building the Lambda zip", "goos", "linux", "goarch", t.Arch)
	data, err := deploy.BuildLambdaZip(ctx, root, "linux", t.Arch)
	if err != nil {
		return err
	}
	if err := os.WriteFile(args[1], data, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(out, "Wrote %s (%d bytes, linux/%s).\n", args[1], len(data), t.Arch)
	return nil
}

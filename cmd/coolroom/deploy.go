package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
)

// runDeploy provisions the bucket, Lambda and API on the target and prints
// the data API's invoke URL.
func runDeploy(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is required: the PostgreSQL the function will use (reachable from where the Lambda runs)")
	}
	secret := cfg.TokenSecret
	if secret == "" {
		secret = config.NewSecret()
		log.Warn("COOLROOM_TOKEN_SECRET is unset: generated one for this deploy (sessions end at the next deploy)")
	}
	dc, err := deployConfig(ctx, cfg, config.FunctionEnv(cfg.DatabaseURL, secret))
	if err != nil {
		return err
	}
	dc.Logger = log
	res, err := deploy.New(dc).Deploy(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Deployed to %s (%s API).\n  Data API: %s\n  Bucket:   %s\n  Changed:  %s\n",
		cfg.Target.Name, res.Flavour, res.InvokeURL, res.Bucket, orNothing(res.Changed))
	if res.Built != "" {
		fmt.Fprintf(out, "  Lambda:   %s\n", res.Built)
	}
	return nil
}

// runDestroy removes everything runDeploy created on the target.
func runDestroy(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	dc, err := deployConfig(ctx, cfg, nil)
	if err != nil && !errors.Is(err, errNoModule) {
		return err
	}
	dc.Logger = log
	removed, err := deploy.New(dc).Destroy(ctx)
	fmt.Fprintf(out, "Removed from %s: %s\n", cfg.Target.Name, orNothing(removed))
	return err
}

func orNothing(items []string) string {
	if len(items) == 0 {
		return "nothing"
	}
	return strings.Join(items, ", ")
}

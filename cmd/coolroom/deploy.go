package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/coolroom/testbed/deploy"
)

// runDeploy provisions the bucket, Lambda and API on the target and prints
// the data API's invoke URL.
func runDeploy(ctx context.Context, cfg config, log *slog.Logger, out io.Writer) error {
	t, err := loadTarget()
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		return errors.New("DATABASE_URL is required: the PostgreSQL the function will use (reachable from where the Lambda runs)")
	}
	dc, err := deployConfig(ctx, cfg, t)
	if err != nil {
		return err
	}
	secret := cfg.TokenSecret
	if secret == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		secret = hex.EncodeToString(b)
		log.Warn("COOLROOM_TOKEN_SECRET is unset: generated one for this deploy (sessions end at the next deploy)")
	}
	dc.Logger = log
	dc.Env = map[string]string{"DATABASE_URL": cfg.DatabaseURL, "TOKEN_SECRET": secret}
	res, err := deploy.New(dc).Deploy(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Deployed to %s (%s API).\n  Data API: %s\n  Bucket:   %s\n  Changed:  %s\n",
		t.Name, res.Flavour, res.InvokeURL, res.Bucket, orNothing(res.Changed))
	if res.Built != "" {
		fmt.Fprintf(out, "  Lambda:   %s\n", res.Built)
	}
	return nil
}

// runDestroy removes everything runDeploy created on the target.
func runDestroy(ctx context.Context, cfg config, log *slog.Logger, out io.Writer) error {
	t, err := loadTarget()
	if err != nil {
		return err
	}
	dc, err := deployConfig(ctx, cfg, t)
	if err != nil && !errors.Is(err, errNoModule) {
		return err
	}
	dc.Logger = log
	removed, err := deploy.New(dc).Destroy(ctx)
	fmt.Fprintf(out, "Removed from %s: %s\n", t.Name, orNothing(removed))
	return err
}

func orNothing(items []string) string {
	if len(items) == 0 {
		return "nothing"
	}
	return strings.Join(items, ", ")
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/httpserver"
	"github.com/coolroom/testbed/internal/stack"
)

// runApp runs one web-app replica against an existing deployment (the
// compose demo runs two behind a load balancer): it looks the data API up
// by name, then serves until SIGINT/SIGTERM. Give every replica the same
// COOLROOM_SESSION_SECRET so any replica can serve any user.
func runApp(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer) error {
	dc, err := deployConfig(ctx, cfg, nil)
	if err != nil && !errors.Is(err, errNoModule) {
		return err
	}
	dc.Logger = log
	if cfg.SessionSecret == "" {
		log.Warn("COOLROOM_SESSION_SECRET is unset: sessions are valid on this replica only, until it restarts")
	}
	var invokeURL string
	for attempt := 1; ; attempt++ {
		if invokeURL, err = deploy.New(dc).Lookup(ctx); err == nil {
			break
		}
		if attempt == 10 || ctx.Err() != nil {
			return fmt.Errorf("find the data API: %w", err)
		}
		log.Warn("data API not found yet", "api", dc.APIName, "err", err)
		time.Sleep(time.Second)
	}
	web, err := stack.NewApp(ctx, stack.AppOptions{
		Logger: log, AWS: dc.AWS, Endpoint: cfg.Target.Endpoint, InvokeURL: invokeURL,
		Bucket: dc.Bucket, AvatarBucket: cfg.AvatarBucket, AvatarMaxBytes: cfg.AvatarMaxBytes, SessionSecret: cfg.SessionSecret,
		SessionSecretPrevious: cfg.SessionSecretPrevious,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.AppAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.AppAddr, err)
	}
	fmt.Fprintf(out, "App on http://%s, data API %s\n", ln.Addr(), invokeURL)
	return httpserver.Run(ctx, httpserver.New(web, httpserver.App), ln)
}

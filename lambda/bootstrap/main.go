// Command bootstrap is the data service's Lambda function (runtime
// provided.al2023: the binary must be named bootstrap). It connects to
// PostgreSQL once per process, at cold start, and serves API Gateway
// events of payload format 2.0 and 1.0 with the router's handler.
//
// Its environment (DATABASE_URL, TOKEN_SECRET, COOLROOM_DEV_MODE, the
// drill's variables, GOMAXPROCS) is read by internal/config's
// LoadFunction; README.md's Configuration section lists it.
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/lambda/adapter"
	"github.com/coolroom/testbed/lambda/password"
	"github.com/coolroom/testbed/lambda/router"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/coolroom/testbed/lambda/store"
)

// initTimeout bounds connecting and migrating at cold start, well inside
// Lambda's 10 s init phase.
const initTimeout = 8 * time.Second

// devTokenSecret is used only with COOLROOM_DEV_MODE=1 and no
// TOKEN_SECRET. It is fixed, not random, so every instance of the
// function accepts the others' tokens; being public, it protects nothing.
const devTokenSecret = "coolroom-development-only-token-secret"

func main() {
	// A Lambda execution environment runs one invocation at a time, and
	// the emulator runs up to 16 of them on the machine's cores. With one
	// P each, an idle process does not spin threads looking for work: on
	// the 2-core VM this halved the bootstrap's CPU per post (0.74 →
	// 0.39 ms, see README "Load test"). GOMAXPROCS in the function's
	// environment still wins.
	cfg, err := config.LoadFunction(os.LookupEnv)
	if !cfg.GOMAXPROCSSet {
		runtime.GOMAXPROCS(1)
	}
	// JSON lines on stderr: Lambda captures them as the function's log.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(log)
	if err == nil {
		err = run(cfg, log)
	}
	if err != nil {
		// Exiting fails the init phase; the next invocation gets a
		// fresh cold start, which retries.
		log.Error(err.Error())
		os.Exit(1)
	}
}

func run(cfg config.Function, log *slog.Logger) error {
	secret := cfg.TokenSecret
	if secret == "" { // only with COOLROOM_DEV_MODE=1 (LoadFunction)
		log.Warn("TOKEN_SECRET is not set: using the public development secret (COOLROOM_DEV_MODE=1); tokens are forgeable")
		secret = devTokenSecret
	}
	tokens, err := service.NewTokenSigner([]byte(secret), service.DefaultTokenTTL)
	if err != nil {
		return errors.New("TOKEN_SECRET is too short: use a random string of at least 16 bytes")
	}

	ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
	st, err := store.Open(ctx, cfg.DatabaseURL)
	cancel()
	if err != nil {
		return errors.New("cannot open the database: " + err.Error())
	}
	// The pool lives as long as the process and is shared by every
	// invocation; the process ends by being frozen and killed, so there
	// is no Close.
	svc, err := service.New(st, service.Options{Hasher: password.Hasher{Params: password.Default, ReturnMemory: true}, Tokens: tokens})
	if err != nil {
		return err
	}
	lambda.Start(withDrill(adapter.New(router.New(svc, log)).Handle, cfg.Drill, cfg.DrillDelay, log, os.Exit))
	return nil
}

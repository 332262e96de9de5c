// Command bootstrap is the data service's Lambda function (runtime
// provided.al2023: the binary must be named bootstrap). It connects to
// PostgreSQL once per process, at cold start, and serves API Gateway
// events of payload format 2.0 and 1.0 with the httpapi handler.
//
// Environment:
//
//	DATABASE_URL       PostgreSQL connection string (required)
//	TOKEN_SECRET       signs bearer tokens, at least 16 bytes (required
//	                   unless COOLROOM_DEV_MODE=1)
//	COOLROOM_DEV_MODE  "1" allows a missing TOKEN_SECRET, using a fixed,
//	                   publicly known development secret
//	COOLROOM_DRILL     a failure drill (crash or slow, see drill.go), set
//	                   and removed by `coolroom drill`
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coolroom/testbed/lambda/adapter"
	"github.com/coolroom/testbed/lambda/httpapi"
	"github.com/coolroom/testbed/lambda/password"
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
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
	// JSON lines on stderr: Lambda captures them as the function's log.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(log)
	if err := run(log); err != nil {
		// Exiting fails the init phase; the next invocation gets a
		// fresh cold start, which retries.
		log.Error(err.Error())
		os.Exit(1)
	}
}

func run(log *slog.Logger) error {
	databaseURL := os.Getenv("DATABASE_URL")
	if databaseURL == "" {
		return errors.New("DATABASE_URL is not set; set it in the function's environment to a PostgreSQL URL such as postgres://user:password@host:5432/db")
	}
	secret := os.Getenv("TOKEN_SECRET")
	if secret == "" {
		if os.Getenv("COOLROOM_DEV_MODE") != "1" {
			return errors.New("TOKEN_SECRET is not set; set it in the function's environment to a random string of at least 16 bytes (or COOLROOM_DEV_MODE=1 for an insecure development secret)")
		}
		log.Warn("TOKEN_SECRET is not set: using the public development secret (COOLROOM_DEV_MODE=1); tokens are forgeable")
		secret = devTokenSecret
	}
	tokens, err := service.NewTokenSigner([]byte(secret), service.DefaultTokenTTL)
	if err != nil {
		return errors.New("TOKEN_SECRET is too short: use a random string of at least 16 bytes")
	}

	ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
	st, err := store.Open(ctx, databaseURL)
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
	lambda.Start(withDrill(adapter.New(httpapi.New(svc, log)).Handle, os.Getenv, log, os.Exit))
	return nil
}

// Command bootstrap is the data service's Lambda function (runtime
// provided.al2023: the binary must be named bootstrap). It connects to
// PostgreSQL once per process, at cold start, and serves API Gateway
// events of payload format 2.0 and 1.0 with the httpapi handler.
//
// Environment:
//
//	DATABASE_URL  PostgreSQL connection string (required)
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/coolroom/testbed/lambda/adapter"
	"github.com/coolroom/testbed/lambda/httpapi"
	"github.com/coolroom/testbed/lambda/service"
	"github.com/coolroom/testbed/lambda/store"
)

// initTimeout bounds connecting and migrating at cold start, well inside
// Lambda's 10 s init phase.
const initTimeout = 8 * time.Second

func main() {
	// JSON lines on stderr: Lambda captures them as the function's log.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	slog.SetDefault(log)

	databaseURL := os.Getenv("DATABASE_URL")
	if databaseURL == "" {
		log.Error("DATABASE_URL is not set; set it in the function's environment to a PostgreSQL URL such as postgres://user:password@host:5432/db")
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), initTimeout)
	st, err := store.Open(ctx, databaseURL)
	cancel()
	if err != nil {
		// Exiting fails the init phase; the next invocation gets a
		// fresh cold start, which retries.
		log.Error("cannot open the database", "error", err)
		os.Exit(1)
	}
	// The pool lives as long as the process and is shared by every
	// invocation; the process ends by being frozen and killed, so there
	// is no Close.
	h := httpapi.New(service.New(st), log)
	lambda.Start(adapter.New(h).Handle)
}

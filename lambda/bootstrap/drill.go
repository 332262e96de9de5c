package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/coolroom/testbed/internal/drill"
)

// handler is the shape of the function's invocation handler.
type handler func(ctx context.Context, raw json.RawMessage) (any, error)

// withDrill wraps h in the failure drill kind (COOLROOM_DRILL), set on
// the function through UpdateFunctionConfiguration by `coolroom drill` or
// the console's drill buttons; without it h is returned unchanged.
//
//   - crash: the process exits in the middle of each invocation, as a
//     crashing function does (Lambda reports Runtime.ExitError).
//   - slow: each invocation sleeps COOLROOM_DRILL_DELAY (default
//     drill.SlowDelay) first, or until the invocation's deadline.
//
// The other drills (throttle, dbdown) need nothing from the function.
func withDrill(h handler, kind, delayText string, log *slog.Logger, exit func(int)) handler {
	switch kind {
	case drill.Crash:
		log.Warn("drill crash is on: every invocation exits the process")
		return func(ctx context.Context, raw json.RawMessage) (any, error) {
			log.Error("drill crash: exiting in the middle of the invocation")
			exit(1)
			return nil, nil // not reached with os.Exit
		}
	case drill.Slow:
		delay, err := time.ParseDuration(delayText)
		if err != nil || delay <= 0 {
			delay = drill.SlowDelay
		}
		log.Warn("drill slow is on: every invocation waits first", "delay", delay.String())
		return func(ctx context.Context, raw json.RawMessage) (any, error) {
			log.Warn("drill slow: waiting before answering", "delay", delay.String())
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return h(ctx, raw)
		}
	}
	return h
}

package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"
)

func TestWithDrill(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	calls := 0
	inner := func(context.Context, json.RawMessage) (any, error) { calls++; return "ok", nil }
	noExit := func(int) { t.Fatal("exited without a crash drill") }

	t.Run("no drill leaves the handler alone", func(t *testing.T) {
		if got, _ := withDrill(inner, "", "", log, noExit)(context.Background(), nil); got != "ok" {
			t.Fatalf("answered %v", got)
		}
	})
	t.Run("crash exits mid-invocation", func(t *testing.T) {
		code := -1
		before := calls
		withDrill(inner, "crash", "", log, func(c int) { code = c })(context.Background(), nil)
		if code != 1 || calls != before {
			t.Fatalf("exit code %d, handler calls %d → %d", code, before, calls)
		}
	})
	t.Run("slow waits the delay, then answers", func(t *testing.T) {
		start := time.Now()
		h := withDrill(inner, "slow", "150ms", log, noExit)
		if got, _ := h(context.Background(), nil); got != "ok" || time.Since(start) < 150*time.Millisecond {
			t.Fatalf("answered %v after %s", got, time.Since(start))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := h(ctx, nil); err == nil {
			t.Fatal("a slow invocation past its deadline answered")
		}
	})
}

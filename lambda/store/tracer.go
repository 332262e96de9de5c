package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/internal/servertiming"
)

// dbTimer adds the time of each statement and batch to the request's
// servertiming clock, which the handler reports as "db" in Server-Timing.
// It costs two clock reads per statement.
type dbTimer struct{}

type startKey struct{}

func (dbTimer) start(ctx context.Context) context.Context {
	return context.WithValue(ctx, startKey{}, time.Now())
}

func (dbTimer) end(ctx context.Context) {
	if t, ok := ctx.Value(startKey{}).(time.Time); ok {
		servertiming.AddDB(ctx, time.Since(t))
	}
}

func (d dbTimer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return d.start(ctx)
}

func (d dbTimer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) { d.end(ctx) }

func (d dbTimer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return d.start(ctx)
}

func (dbTimer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

func (d dbTimer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchEndData) { d.end(ctx) }

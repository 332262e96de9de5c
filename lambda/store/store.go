// Package store is the data service's PostgreSQL persistence: a pgx pool,
// embedded schema migrations and every SQL statement of the service. All
// statements are parameterised; no SQL is ever built from user input.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coolroom/testbed/lambda/service"
)

// pingAfterIdle is how long a pooled connection may idle before it is
// pinged on acquire. Requests in a burst skip the round trip.
const pingAfterIdle = 200 * time.Millisecond

// Store implements service.Store over a pgx pool.
type Store struct {
	pool *pgxpool.Pool
}

var _ service.Store = (*Store)(nil)

// Open connects to databaseURL, checks the connection and applies pending
// migrations. A Lambda process calls it once at cold start and reuses the
// pool for every invocation.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	// pgx redacts the password in its parse and connect errors, so they
	// are safe to log.
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: parse database URL: %w", err)
	}
	// pgxpool pings a connection before handing it out only after it
	// idled for a second. A Lambda instance idles between invocations
	// while the database may restart (or a proxy drop connections), so
	// check sooner: a dead connection is then replaced before the
	// request uses it, instead of failing that request.
	cfg.ShouldPing = func(_ context.Context, p pgxpool.ShouldPingParams) bool {
		return p.IdleDuration > pingAfterIdle
	}
	cfg.ConnConfig.Tracer = dbTimer{}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: create pool: %w", err)
	}
	// Ping first so a wrong URL reads as a connection error, not as a
	// migration failure.
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	if err := Migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return New(pool), nil
}

// New returns a Store over an existing pool whose database is migrated.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: pool}
}

// Close closes the pool.
func (s *Store) Close() {
	s.pool.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return s.pool.Ping(ctx)
}

// querier is what both the pool and a transaction offer, so read helpers
// work inside and outside transactions.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// likeEscaper escapes ILIKE's wildcards and its escape character, so a
// search for "50%" or "a_b" matches those characters literally.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// containsPattern returns the ILIKE pattern matching values that contain q
// literally. Statements using it must say ESCAPE E'\\': the E-string form
// means one backslash whatever standard_conforming_strings says.
func containsPattern(q string) string {
	return "%" + likeEscaper.Replace(q) + "%"
}

// isForeignKeyViolation reports whether err is PostgreSQL's
// foreign_key_violation on the named constraint.
func isForeignKeyViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return pgErr.Code == "23503" && pgErr.ConstraintName == constraint
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation,
// returning the constraint (or unique index) that was violated.
func isUniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// orEmpty returns s, or an empty non-nil slice: the wire shows [], not null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

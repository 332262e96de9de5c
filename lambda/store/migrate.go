package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLockKey is the pg_advisory_xact_lock key that serialises
// migrations. It is a constant so every process of every version agrees on
// it; the value is arbitrary ("coolroom" in ASCII, truncated to 63 bits).
const migrationLockKey int64 = 0x636f6f6c726f6f6d

// migration is one embedded SQL file, named NNNN_description.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order, refusing
// duplicate or unnumbered files so a bad build fails loudly at start-up.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		name := e.Name()
		prefix, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %q: name must be NNNN_description.sql", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %q and %q share version %d", other, name, v)
		}
		seen[v] = name
		b, err := migrationFS.ReadFile(path.Join("migrations", name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %q: %w", name, err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies the embedded migrations that the database has not seen,
// in order, and records each in schema_migrations.
//
// Everything happens in one transaction holding a transaction-scoped
// advisory lock: when several Lambda instances cold-start at once, the first
// applies the migrations and the others wait, then find nothing left to do.
// A failure rolls back every migration of the run, so the schema is never
// half-applied.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		// Created under the lock: concurrent CREATE TABLE IF NOT EXISTS
		// can still collide in the catalog.
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return fmt.Errorf("store: read schema_migrations: %w", err)
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return fmt.Errorf("store: read schema_migrations: %w", err)
		}
		done := map[int]bool{}
		latest := 0
		for _, v := range applied {
			done[int(v)] = true
			latest = max(latest, int(v))
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			// No arguments: pgx uses the simple protocol, which runs a
			// file of several statements in one call.
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("store: migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.version); err != nil {
				return fmt.Errorf("store: record migration %s: %w", m.name, err)
			}
			slog.InfoContext(ctx, "applied migration", "migration", m.name)
		}
		if n := len(ms); n > 0 && latest > ms[n-1].version {
			// A newer build migrated this database (e.g. during a
			// rollback); its migrations are additive, so keep serving.
			slog.WarnContext(ctx, "database schema is newer than this build",
				"database_version", latest, "build_version", ms[n-1].version)
		}
		return nil
	})
}

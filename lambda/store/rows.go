package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/service"
)

// The shapes of statement the entities share: one row by id, a page of a
// listing with its total, and deleting what a user owns.

// oneByID runs sql (which takes the id as $1) through q and scans the
// single row; no row is the service's not_found for kind.
func oneByID[T any](ctx context.Context, q querier, kind, sql string, id int64, scan pgx.RowToFunc[T]) (T, error) {
	var zero T
	rows, err := q.Query(ctx, sql, id)
	if err != nil {
		return zero, fmt.Errorf("store: %s %d: %w", kind, id, err)
	}
	v, err := pgx.CollectExactlyOneRow(rows, scan)
	if errors.Is(err, pgx.ErrNoRows) {
		return zero, service.NotFound(kind, id)
	}
	if err != nil {
		return zero, fmt.Errorf("store: %s %d: %w", kind, id, err)
	}
	return v, nil
}

// listing is a listing's two statements: the count of every match and
// one page of them.
type listing struct {
	kind                string // "rooms", "messages": for errors
	countSQL, pageSQL   string
	countArgs, pageArgs []any
}

// countAndPage sends a listing's two statements in one round trip, so the
// page and its total come from the same moment, and returns the total and
// the page's rows (an empty slice, never nil: the JSON says []).
func countAndPage[T any](ctx context.Context, s *Store, l listing, scan pgx.RowToFunc[T]) (int, []T, error) {
	b := &pgx.Batch{}
	var total int
	var page []T
	queueListing(b, l, scan, &total, &page)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return 0, nil, err
	}
	return total, page, nil
}

// queueListing queues a listing's two statements on b, to set *total and
// *page when the batch runs.
func queueListing[T any](b *pgx.Batch, l listing, scan pgx.RowToFunc[T], total *int, page *[]T) {
	b.Queue(l.countSQL, l.countArgs...).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(total); err != nil {
			return fmt.Errorf("store: count %s: %w", l.kind, err)
		}
		return nil
	})
	queuePage(b, l.kind, l.pageSQL, l.pageArgs, scan, page)
}

// queuePage queues a statement on b that sets *page to its rows (an empty
// slice, never nil) when the batch runs.
func queuePage[T any](b *pgx.Batch, kind, sql string, args []any, scan pgx.RowToFunc[T], page *[]T) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		p, err := pgx.CollectRows(rows, scan)
		if err != nil {
			return fmt.Errorf("store: list %s: %w", kind, err)
		}
		*page = orEmpty(p)
		return nil
	})
}

// deleteOwned runs sql, a DELETE of row id ($1) that also names its owner
// ($2) in the WHERE clause, so the ownership check and the write cannot
// disagree; deleting nothing is the service's not_found for kind.
func (s *Store) deleteOwned(ctx context.Context, kind, sql string, id, owner int64) error {
	tag, err := s.pool.Exec(ctx, sql, id, owner)
	if err != nil {
		return fmt.Errorf("store: delete %s %d: %w", kind, id, err)
	}
	if tag.RowsAffected() == 0 {
		return service.NotFound(kind, id)
	}
	return nil
}

// limitOffset returns a LIMIT clause, and an OFFSET when offset > 0, with
// the numbers written in. They are integers the service computes (a page
// size constant, a page number it parsed as one), never text from a
// request, so writing them in cannot inject SQL. They are literals, not
// parameters, because PostgreSQL plans a prepared statement afresh on
// every execution while a custom plan looks cheaper than a generic one,
// and with LIMIT $n the generic plan assumes a tenth of the table: the
// home page's room listing was planned on every call (1.3 ms of planning
// for 0.7 ms of execution). With the numbers known, a statement without
// other parameters is planned once per connection, and the others switch
// to their generic plan after five runs (TestListingsReuseTheirPlans).
func limitOffset(limit int, offset int64) string {
	s := " LIMIT " + strconv.Itoa(limit)
	if offset > 0 {
		s += " OFFSET " + strconv.FormatInt(offset, 10)
	}
	return s
}

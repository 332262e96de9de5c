package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/service"
)

// StartLogin counts one attempt for key in a single statement, so
// concurrent attempts (from any number of Lambda instances) each take one
// unit of the budget. A row whose last attempt is older than the window
// starts over. The attempt that reaches MaxFailures sets the lock; it is
// still allowed (its success clears the row), the ones after are not.
// While locked, the row is left alone and the remaining time returned.
func (s *Store) StartLogin(ctx context.Context, key string, p service.LoginPolicy) (time.Duration, error) {
	if rand.IntN(100) == 0 {
		// Now and then, forget emails nobody has tried for a day, so
		// guessing random emails cannot grow the table forever.
		if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE last_attempt < now() - interval '1 day'`); err != nil {
			return 0, fmt.Errorf("store: purge login attempts: %w", err)
		}
	}
	var attempts int
	err := s.pool.QueryRow(ctx, `
INSERT INTO login_attempts AS a (email_key, attempts, last_attempt, locked_until)
VALUES ($1, 1, now(), CASE WHEN $2::int <= 1 THEN now() + $4::bigint * interval '1 millisecond' END)
ON CONFLICT (email_key) DO UPDATE SET
    attempts = CASE WHEN a.last_attempt < now() - $3::bigint * interval '1 millisecond' THEN 1 ELSE a.attempts + 1 END,
    last_attempt = now(),
    locked_until = CASE
        WHEN (CASE WHEN a.last_attempt < now() - $3::bigint * interval '1 millisecond' THEN 1 ELSE a.attempts + 1 END) >= $2
        THEN now() + $4::bigint * interval '1 millisecond' END
WHERE a.locked_until IS NULL OR a.locked_until <= now()
RETURNING attempts`, key, p.MaxFailures, p.Window.Milliseconds(), p.LockFor.Milliseconds()).Scan(&attempts)
	if err == nil {
		return 0, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("store: count login attempt: %w", err)
	}
	// The WHERE refused the update: the key is locked.
	wait, err := s.LoginLock(ctx, key)
	// At least a second: the lock may have just run out, but this
	// attempt was not counted and must not go ahead.
	return max(wait, time.Second), err
}

// LoginLock returns how much longer key is locked, 0 when it is not.
func (s *Store) LoginLock(ctx context.Context, key string) (time.Duration, error) {
	var ms float64
	err := s.pool.QueryRow(ctx, `SELECT extract(epoch FROM locked_until - now()) * 1000
FROM login_attempts WHERE email_key = $1 AND locked_until > now()`, key).Scan(&ms)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: read login lock: %w", err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// LoginSucceeded forgets the attempts recorded for key.
func (s *Store) LoginSucceeded(ctx context.Context, key string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE email_key = $1`, key); err != nil {
		return fmt.Errorf("store: reset login attempts: %w", err)
	}
	return nil
}

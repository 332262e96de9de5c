package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// CreateSession records a login session and returns its id. Now and then
// it also purges expired sessions, so the table holds roughly the live
// ones.
func (s *Store) CreateSession(ctx context.Context, userID int64, expires time.Time) (int64, error) {
	if rand.IntN(100) == 0 {
		if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expires < now()`); err != nil {
			return 0, fmt.Errorf("store: purge sessions: %w", err)
		}
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO sessions (user_id, expires) VALUES ($1, $2) RETURNING id`,
		userID, expires).Scan(&id)
	if isForeignKeyViolation(err, "sessions_user_id_fkey") {
		return 0, goneUser()
	}
	if err != nil {
		return 0, fmt.Errorf("store: create session: %w", err)
	}
	return id, nil
}

// SessionActive reports whether session id of userID exists and has not
// expired.
func (s *Store) SessionActive(ctx context.Context, id, userID int64) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND expires > now())`,
		id, userID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: check session: %w", err)
	}
	return ok, nil
}

// DeleteSession ends session id of userID (a no-op when it is gone).
func (s *Store) DeleteSession(ctx context.Context, id, userID int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2`, id, userID); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

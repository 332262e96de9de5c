package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/service"
)

// UserByUsername returns the user with that username (usernames are
// stored lower-case, so the argument is lower-cased), or not_found.
func (s *Store) UserByUsername(ctx context.Context, username string) (service.UserSummary, error) {
	var u service.UserSummary
	err := s.pool.QueryRow(ctx, `SELECT id, username, name, avatar FROM users WHERE username = lower($1)`,
		username).Scan(&u.ID, &u.Username, &u.Name, &u.Avatar)
	if errors.Is(err, pgx.ErrNoRows) {
		return service.UserSummary{}, service.Errorf(service.CodeNotFound, "user %q not found", username)
	}
	if err != nil {
		return service.UserSummary{}, fmt.Errorf("store: user %q: %w", username, err)
	}
	return u, nil
}

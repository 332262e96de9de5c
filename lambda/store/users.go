package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// userSelect returns a full user with its counts; callers add WHERE.
const userSelect = `
SELECT u.id, u.username, u.name, u.bio, u.avatar, u.email, u.created,
       (SELECT count(*) FROM rooms r WHERE r.host_id = u.id),
       (SELECT count(*) FROM messages m WHERE m.user_id = u.id)
FROM users u`

func scanUser(row pgx.CollectableRow) (contract.User, error) {
	var u contract.User
	err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Bio, &u.Avatar, &u.Email, &u.Created,
		&u.RoomsHosted, &u.Messages)
	return u, err
}

// userByID reads one user through q.
func userByID(ctx context.Context, q querier, id int64) (contract.User, error) {
	return oneByID(ctx, q, "user", userSelect+` WHERE u.id = $1`, id, scanUser)
}

// UserByID returns the user with its email and counts, or not_found.
func (s *Store) UserByID(ctx context.Context, id int64) (contract.User, error) {
	return userByID(ctx, s.pool, id)
}

// takenError turns a unique violation on users into the conflict the
// client sees, naming the field.
func takenError(constraint string) error {
	switch constraint {
	case "users_username_key":
		return conflict(map[string]string{"username": "is already taken"})
	case "users_email_lower_key":
		return conflict(map[string]string{"email": "is already registered"})
	}
	return nil
}

func conflict(fields map[string]string) *contract.Error {
	return &contract.Error{Code: contract.CodeConflict, Message: "the username or email is already in use", Fields: fields}
}

// CreateUser inserts a registration. Both unique fields are checked up
// front so a client learns about both at once; the unique indexes still
// decide when two registrations race.
func (s *Store) CreateUser(ctx context.Context, in contract.NewUser, hash string) (contract.User, error) {
	var nameTaken, emailTaken bool
	err := s.pool.QueryRow(ctx, `SELECT coalesce(bool_or(username = $1), false), coalesce(bool_or(lower(email) = lower($2)), false)
FROM users WHERE username = $1 OR lower(email) = lower($2)`, in.Username, in.Email).Scan(&nameTaken, &emailTaken)
	if err != nil {
		return contract.User{}, fmt.Errorf("store: check user: %w", err)
	}
	if nameTaken || emailTaken {
		fields := map[string]string{}
		if nameTaken {
			fields["username"] = "is already taken"
		}
		if emailTaken {
			fields["email"] = "is already registered"
		}
		return contract.User{}, conflict(fields)
	}
	var id int64
	err = s.pool.QueryRow(ctx, `INSERT INTO users (username, email, name, password_hash)
VALUES ($1, $2, $3, $4) RETURNING id`, in.Username, in.Email, in.Name, hash).Scan(&id)
	if c, ok := isUniqueViolation(err); ok && takenError(c) != nil {
		return contract.User{}, takenError(c)
	}
	if err != nil {
		return contract.User{}, fmt.Errorf("store: insert user: %w", err)
	}
	return s.UserByID(ctx, id)
}

// LoginByEmail returns the id and password hash for an email, matched
// case-insensitively. Accounts without a password (such as a demo user seeded before login existed)
// are reported as absent, so they can never log in.
func (s *Store) LoginByEmail(ctx context.Context, email string) (int64, string, bool, error) {
	var id int64
	var hash *string
	err := s.pool.QueryRow(ctx, `SELECT id, password_hash FROM users WHERE lower(email) = lower($1)`, email).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, fmt.Errorf("store: find login: %w", err)
	}
	if hash == nil || *hash == "" {
		return 0, "", false, nil
	}
	return id, *hash, true, nil
}

// UpdateUser sets the non-nil fields; a NULL parameter keeps the column.
// If the email changes, the user's sessions other than keepSession end in
// the same transaction, so no session outlives the change.
func (s *Store) UpdateUser(ctx context.Context, id int64, in contract.UserUpdate, keepSession int64) (contract.User, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var emailChanged bool
		err := tx.QueryRow(ctx, `WITH old AS (SELECT email FROM users WHERE id = $1 FOR UPDATE)
UPDATE users u SET
    name     = coalesce($2::text, u.name),
    username = coalesce($3::text, u.username),
    email    = coalesce($4::text, u.email),
    bio      = coalesce($5::text, u.bio),
    avatar   = coalesce($6::text, u.avatar),
    updated  = now()
FROM old
WHERE u.id = $1
RETURNING u.email IS DISTINCT FROM old.email`, id, in.Name, in.Username, in.Email, in.Bio, in.Avatar).Scan(&emailChanged)
		if c, ok := isUniqueViolation(err); ok && takenError(c) != nil {
			return takenError(c)
		}
		if errors.Is(err, pgx.ErrNoRows) {
			return service.NotFound("user", id)
		}
		if err != nil {
			return fmt.Errorf("store: update user %d: %w", id, err)
		}
		if emailChanged {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id <> $2`, id, keepSession); err != nil {
				return fmt.Errorf("store: end other sessions of user %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		return contract.User{}, err
	}
	return s.UserByID(ctx, id)
}

package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// messageSelect returns messages with author and room; callers add WHERE
// and ORDER BY.
const messageSelect = `
SELECT m.id, m.body, m.created, m.updated,
       u.id, u.username, u.name, u.avatar,
       r.id, r.name
FROM messages m
JOIN users u ON u.id = m.user_id
JOIN rooms r ON r.id = m.room_id`

func scanMessage(row pgx.CollectableRow) (contract.Message, error) {
	var m contract.Message
	err := row.Scan(&m.ID, &m.Body, &m.Created, &m.Updated,
		&m.User.ID, &m.User.Username, &m.User.Name, &m.User.Avatar,
		&m.Room.ID, &m.Room.Name)
	return m, err
}

// CreateMessage stores a message, makes the author a participant and
// bumps the room's updated time, in one transaction. The room row is
// updated first: that locks it, so a concurrent delete of the room either
// happens before (not_found) or waits until the message is in.
// createMessageSQL posts $3 by user $2 to room $1 in one statement and
// returns the room's name, the message and its author.
const createMessageSQL = `WITH r AS (
    UPDATE rooms SET updated = greatest(updated, now()) WHERE id = $1 RETURNING id, name),
m AS (
    INSERT INTO messages (room_id, user_id, body) SELECT r.id, $2, $3 FROM r
    RETURNING id, created, updated, user_id),
p AS (
    INSERT INTO room_participants (room_id, user_id) SELECT r.id, $2 FROM r ON CONFLICT DO NOTHING)
SELECT r.name, m.id, m.created, m.updated, u.id, u.username, u.name, u.avatar
FROM r, m JOIN users u ON u.id = m.user_id`

func (s *Store) CreateMessage(ctx context.Context, roomID, userID int64, body string) (contract.Message, error) {
	// One statement, so one round trip and its own transaction: touch the
	// room (which locks it against a concurrent delete), insert the
	// message and make the poster a participant. A post used to be five
	// round trips (BEGIN, three statements, COMMIT), which cost the
	// Lambda process and PostgreSQL more CPU than the work itself.
	// greatest(): with concurrent posts, a statement that started earlier
	// must not move updated backwards. The primary key makes joining
	// idempotent, also when the same user posts twice at once.
	var m contract.Message
	err := s.pool.QueryRow(ctx, createMessageSQL, roomID, userID, body).
		Scan(&m.Room.Name, &m.ID, &m.Created, &m.Updated, &m.User.ID, &m.User.Username, &m.User.Name, &m.User.Avatar)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return m, service.NotFound("room", roomID)
	case isForeignKeyViolation(err, "messages_user_id_fkey"), isForeignKeyViolation(err, "room_participants_user_id_fkey"):
		return m, goneUser()
	case err != nil:
		return m, fmt.Errorf("store: post to room %d: %w", roomID, err)
	}
	m.Room.ID = roomID
	m.Body = body
	return m, nil
}

// roomMessages returns at most limit messages of a room as c selects
// them, oldest (smallest id) first, and whether more lie beyond the page.
// One more row than asked for is read to know that. Every variant walks
// messages_room_idx (room_id, id) from the cursor.
func roomMessages(ctx context.Context, q querier, roomID int64, c service.MessageCursor, limit int) ([]contract.Message, bool, error) {
	var sql string
	var cursor int64
	switch {
	case c.After != nil:
		sql, cursor = messageSelect+` WHERE m.room_id = $1 AND m.id > $2 ORDER BY m.id`, *c.After
	case c.Before > 0:
		sql, cursor = messageSelect+` WHERE m.room_id = $1 AND m.id < $2 ORDER BY m.id DESC`, c.Before
	default:
		sql, cursor = messageSelect+` WHERE m.room_id = $1 AND m.id < $2 ORDER BY m.id DESC`, math.MaxInt64
	}
	rows, err := q.Query(ctx, sql+limitOffset(limit+1, 0), roomID, cursor)
	if err != nil {
		return nil, false, fmt.Errorf("store: messages of room %d: %w", roomID, err)
	}
	msgs, err := pgx.CollectRows(rows, scanMessage)
	if err != nil {
		return nil, false, fmt.Errorf("store: messages of room %d: %w", roomID, err)
	}
	more := len(msgs) > limit
	if more {
		msgs = msgs[:limit]
	}
	if c.After == nil {
		slices.Reverse(msgs) // read newest first, shown oldest first
	}
	return orEmpty(msgs), more, nil
}

// RoomMessages returns a page of room roomID's messages, or not_found for
// an unknown room.
func (s *Store) RoomMessages(ctx context.Context, roomID int64, c service.MessageCursor, limit int) (contract.MessageList, error) {
	var res contract.MessageList
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM rooms WHERE id = $1)`, roomID).Scan(&exists); err != nil {
				return fmt.Errorf("store: room %d: %w", roomID, err)
			}
			if !exists {
				return service.NotFound("room", roomID)
			}
			var err error
			res.Messages, res.HasMore, err = roomMessages(ctx, tx, roomID, c, limit)
			return err
		})
	return res, err
}

// MessageByID returns one message, or not_found.
func (s *Store) MessageByID(ctx context.Context, id int64) (contract.Message, error) {
	return oneByID(ctx, s.pool, "message", messageSelect+` WHERE m.id = $1`, id, scanMessage)
}

// DeleteMessage deletes message id if userID wrote it.
func (s *Store) DeleteMessage(ctx context.Context, id, userID int64) error {
	return s.deleteOwned(ctx, "message", `DELETE FROM messages WHERE id = $1 AND user_id = $2`, id, userID)
}

// listMessagesSQL returns the activity feed's count and page statements
// (perPage messages from offset, newest first) and their arguments.
func listMessagesSQL(q service.MessageQuery, perPage int, offset int64) (countSQL, pageSQL string, args []any) {
	where := ""
	if q.Q != "" || q.Topic != "" {
		filter, fargs := roomFilter(q.Q, q.Topic, 0)
		args = append(args, fargs...)
		where = ` WHERE m.room_id IN (SELECT r.id FROM rooms r` + filter + `)`
	}
	if q.UserID > 0 {
		args = append(args, q.UserID)
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		where += `m.user_id = $` + strconv.Itoa(len(args))
	}
	return `SELECT count(*) FROM messages m` + where, messageSelect + where + `
ORDER BY m.created DESC, m.id DESC` + limitOffset(perPage, offset), args
}

// ListMessages returns the activity feed: messages in rooms matching q.Q
// and q.Topic (as for ListRooms), optionally by one user, newest first.
func (s *Store) ListMessages(ctx context.Context, q service.MessageQuery, perPage int) (contract.MessagePage, error) {
	countSQL, pageSQL, args := listMessagesSQL(q, perPage, int64(q.Page-1)*int64(perPage))
	total, msgs, err := countAndPage(ctx, s, listing{kind: "messages",
		countSQL: countSQL, countArgs: args, pageSQL: pageSQL, pageArgs: args}, scanMessage)
	if err != nil {
		return contract.MessagePage{}, err
	}
	return contract.MessagePage{Messages: msgs, Total: total, Page: q.Page, PerPage: perPage}, nil
}

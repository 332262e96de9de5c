package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// roomColumns decorates the rooms of a CTE named "page" with their topic
// (and its room count, which the topic keeps: migration 0007), host and
// participant count. The participants are counted once per room of the
// page, not per room of the whole table.
const roomColumns = `,
participant_counts AS (
    SELECT room_id, count(*) AS n FROM room_participants
    WHERE room_id IN (SELECT id FROM page) GROUP BY room_id)
SELECT p.id, p.name, p.description, p.created, p.updated,
       t.id, t.name, t.rooms,
       u.id, u.username, u.name, u.avatar,
       coalesce(pc.n, 0)
FROM page p
JOIN topics t ON t.id = p.topic_id
JOIN users u ON u.id = p.host_id
LEFT JOIN participant_counts pc ON pc.room_id = p.id
ORDER BY p.updated DESC, p.id DESC`

func scanRoom(row pgx.CollectableRow) (contract.Room, error) {
	var r contract.Room
	err := row.Scan(&r.ID, &r.Name, &r.Description, &r.Created, &r.Updated,
		&r.Topic.ID, &r.Topic.Name, &r.Topic.Rooms,
		&r.Host.ID, &r.Host.Username, &r.Host.Name, &r.Host.Avatar,
		&r.Participants)
	return r, err
}

// roomFilter returns the WHERE clause (over rooms aliased r) selecting the
// rooms that match q, are filed under topic (exactly) and hosted by hostID
// (each when given), and its arguments numbered from $1. The SQL is made
// of fixed fragments only; q travels as a parameter.
//
// The search is written so each alternative can use an index: the trigram
// indexes on the room's name and description, and rooms' topic and host
// indexes fed by the ids of the matching topics and users (by username or
// display name; = ANY of an
// array computed once), which PostgreSQL combines with a BitmapOr.
func roomFilter(q, topic string, hostID int64) (string, []any) {
	var conds []string
	var args []any
	if q != "" {
		args = append(args, containsPattern(q))
		conds = append(conds, `(r.name ILIKE $1 ESCAPE E'\\'
    OR r.description ILIKE $1 ESCAPE E'\\'
    OR r.topic_id = ANY (ARRAY(SELECT id FROM topics WHERE name ILIKE $1 ESCAPE E'\\'))
    OR r.host_id = ANY (ARRAY(SELECT id FROM users WHERE username ILIKE $1 ESCAPE E'\\' OR name ILIKE $1 ESCAPE E'\\')))`)
	}
	if topic != "" {
		// Exactly this topic, in any letter case: the unique index on
		// lower(name) finds its id, then rooms' topic index the rooms.
		args = append(args, topic)
		conds = append(conds, `r.topic_id = (SELECT id FROM topics WHERE lower(name) = lower($`+strconv.Itoa(len(args))+`))`)
	}
	if hostID > 0 {
		args = append(args, hostID)
		conds = append(conds, `r.host_id = $`+strconv.Itoa(len(args)))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// listRoomsSQL returns the count and page statements of a listing, with
// their arguments (a function of its own so tests can EXPLAIN them).
func listRoomsSQL(q service.RoomQuery, perPage int) (string, []any, string, []any) {
	where, args := roomFilter(q.Q, q.Topic, q.HostID)
	limit := limitOffset(perPage, int64(q.Page-1)*int64(perPage))
	page := `WITH page AS (
    SELECT r.* FROM rooms r` + where + `
    ORDER BY r.updated DESC, r.id DESC` + limit + `)` + roomColumns
	if q.Q != "" || q.Topic != "" {
		// Searches collect the matching ids first (through the
		// trigram and foreign-key indexes) and sort only those.
		// Otherwise the planner, unable to estimate how many rooms
		// match, may walk the whole updated index hoping to meet 20
		// matches early: a full scan when there are few.
		page = `WITH matches AS MATERIALIZED (
    SELECT r.id, r.updated FROM rooms r` + where + `),
page AS (
    SELECT r.* FROM rooms r
    JOIN (SELECT id FROM matches ORDER BY updated DESC, id DESC` + limit + `) m ON m.id = r.id)` + roomColumns
	}
	count := `SELECT count(*) FROM rooms r` + where
	if where == "" {
		count = totalRoomsSQL
	}
	return count, args, page, args
}

// ListRooms returns a page of the rooms matching q, most recently updated
// first, with the total number of matches.
func (s *Store) ListRooms(ctx context.Context, q service.RoomQuery, perPage int) (contract.RoomPage, error) {
	countSQL, countArgs, pageSQL, pageArgs := listRoomsSQL(q, perPage)
	// Both statements go in one round trip. The count is separate from
	// the page (not count(*) OVER ()) so a page past the end still
	// reports the true total.
	total, rooms, err := countAndPage(ctx, s, listing{kind: "rooms",
		countSQL: countSQL, countArgs: countArgs, pageSQL: pageSQL, pageArgs: pageArgs}, scanRoom)
	if err != nil {
		return contract.RoomPage{}, err
	}
	return contract.RoomPage{Rooms: rooms, Total: total, Page: q.Page, PerPage: perPage}, nil
}

// Home reads the home page's lists in one round trip: the page of rooms q
// selects with their total (as ListRooms), every topic (as
// ListTopics("")), and the newest activity messages matching q.Q and
// q.Topic (the feed's page alone: counting every message would cost the
// page more as the class writes).
func (s *Store) Home(ctx context.Context, q service.RoomQuery, perPage, activity int) (contract.HomePage, error) {
	h := contract.HomePage{Rooms: contract.RoomPage{Page: q.Page, PerPage: perPage}}
	countSQL, countArgs, pageSQL, pageArgs := listRoomsSQL(q, perPage)
	_, msgSQL, msgArgs := listMessagesSQL(service.MessageQuery{Q: q.Q, Topic: q.Topic}, activity, 0)
	b := &pgx.Batch{}
	queueListing(b, listing{kind: "rooms", countSQL: countSQL, countArgs: countArgs, pageSQL: pageSQL, pageArgs: pageArgs},
		scanRoom, &h.Rooms.Total, &h.Rooms.Rooms)
	queueTopics(b, "", &h.Topics)
	queuePage(b, "messages", msgSQL, msgArgs, scanMessage, &h.Activity)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return contract.HomePage{}, err
	}
	return h, nil
}

// roomByID returns one room, or a not_found error.
func roomByID(ctx context.Context, q querier, id int64) (contract.Room, error) {
	return oneByID(ctx, q, "room", `WITH page AS (SELECT * FROM rooms WHERE id = $1)`+roomColumns, id, scanRoom)
}

// RoomDetail returns a room, a page of its messages (the newest limit
// below before, or of all when before is 0; oldest first) and its
// participants (in joining order), read from one snapshot so they agree.
func (s *Store) RoomDetail(ctx context.Context, id, before int64, limit int) (contract.RoomDetail, error) {
	var d contract.RoomDetail
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error {
			var err error
			if d.Room, err = roomByID(ctx, tx, id); err != nil {
				return err
			}
			if d.Messages, d.HasEarlier, err = roomMessages(ctx, tx, id, service.MessageCursor{Before: before}, limit); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, `SELECT u.id, u.username, u.name, u.avatar
FROM room_participants p JOIN users u ON u.id = p.user_id
WHERE p.room_id = $1 ORDER BY p.joined, u.id`, id)
			if err != nil {
				return fmt.Errorf("store: participants of room %d: %w", id, err)
			}
			d.Participants, err = pgx.CollectRows(rows, scanSummary)
			if err != nil {
				return fmt.Errorf("store: participants of room %d: %w", id, err)
			}
			d.Participants = orEmpty(d.Participants)
			return nil
		})
	return d, err
}

func scanSummary(row pgx.CollectableRow) (contract.UserSummary, error) {
	var u contract.UserSummary
	err := row.Scan(&u.ID, &u.Username, &u.Name, &u.Avatar)
	return u, err
}

// RoomHost returns the host of room id, or not_found.
func (s *Store) RoomHost(ctx context.Context, id int64) (int64, error) {
	var host int64
	err := s.pool.QueryRow(ctx, `SELECT host_id FROM rooms WHERE id = $1`, id).Scan(&host)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, service.NotFound("room", id)
	}
	if err != nil {
		return 0, fmt.Errorf("store: host of room %d: %w", id, err)
	}
	return host, nil
}

// CreateRoom creates a room hosted by hostID under the topic named
// in.Topic, creating the topic if needed, and returns it as listed.
func (s *Store) CreateRoom(ctx context.Context, hostID int64, in contract.NewRoom) (contract.Room, error) {
	var room contract.Room
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		topicID, err := getOrCreateTopic(ctx, tx, in.Topic)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO rooms (host_id, topic_id, name, description)
VALUES ($1, $2, $3, $4) RETURNING id`, hostID, topicID, in.Name, in.Description).Scan(&id)
		if isForeignKeyViolation(err, "rooms_host_id_fkey") {
			return goneUser()
		}
		if err != nil {
			return fmt.Errorf("store: insert room: %w", err)
		}
		room, err = roomByID(ctx, tx, id)
		return err
	})
	return room, err
}

// goneUser is the answer when a valid token names a user the database no
// longer has (e.g. a reset database with the same token secret).
func goneUser() error {
	return service.Unauthorized("the token's user does not exist; log in again")
}

// UpdateRoom sets the non-nil fields of room id if hostID hosts it.
func (s *Store) UpdateRoom(ctx context.Context, id, hostID int64, in contract.RoomUpdate) (contract.Room, error) {
	var room contract.Room
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var topicID *int64
		if in.Topic != nil {
			t, err := getOrCreateTopic(ctx, tx, *in.Topic)
			if err != nil {
				return err
			}
			topicID = &t
		}
		tag, err := tx.Exec(ctx, `UPDATE rooms SET
    name        = coalesce($3::text, name),
    description = coalesce($4::text, description),
    topic_id    = coalesce($5::bigint, topic_id),
    updated     = greatest(updated, now())
WHERE id = $1 AND host_id = $2`, id, hostID, in.Name, in.Description, topicID)
		if err != nil {
			return fmt.Errorf("store: update room %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return service.NotFound("room", id)
		}
		room, err = roomByID(ctx, tx, id)
		return err
	})
	return room, err
}

// DeleteRoom deletes room id if hostID hosts it; its messages and
// participants go with it (ON DELETE CASCADE).
func (s *Store) DeleteRoom(ctx context.Context, id, hostID int64) error {
	return s.deleteOwned(ctx, "room", `DELETE FROM rooms WHERE id = $1 AND host_id = $2`, id, hostID)
}

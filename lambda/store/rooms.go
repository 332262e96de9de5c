package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/lambda/service"
)

// roomSelect returns rooms with their topic (and its room count), host and
// participant count; callers append WHERE / ORDER BY.
const roomSelect = `
SELECT r.id, r.name, r.description, r.created, r.updated,
       t.id, t.name, (SELECT count(*) FROM rooms tr WHERE tr.topic_id = t.id),
       u.id, u.username, u.name, u.avatar,
       (SELECT count(*) FROM room_participants p WHERE p.room_id = r.id)
FROM rooms r
JOIN topics t ON t.id = r.topic_id
JOIN users u ON u.id = r.host_id`

// roomSearch is the room listing filter: $1 is a containsPattern matched
// against the topic name, room name, description and host username.
const roomSearch = `
WHERE t.name ILIKE $1 ESCAPE E'\\'
   OR r.name ILIKE $1 ESCAPE E'\\'
   OR r.description ILIKE $1 ESCAPE E'\\'
   OR u.username ILIKE $1 ESCAPE E'\\'`

func scanRoom(row pgx.CollectableRow) (service.Room, error) {
	var r service.Room
	err := row.Scan(&r.ID, &r.Name, &r.Description, &r.Created, &r.Updated,
		&r.Topic.ID, &r.Topic.Name, &r.Topic.Rooms,
		&r.Host.ID, &r.Host.Username, &r.Host.Name, &r.Host.Avatar,
		&r.Participants)
	return r, err
}

// ListRooms returns page (1-based) of the rooms matching q, most recently
// updated first, with the total number of matches.
func (s *Store) ListRooms(ctx context.Context, q string, page, perPage int) (service.RoomPage, error) {
	pattern := containsPattern(q)
	// Both statements go in one round trip. The count is separate from
	// the page (not count(*) OVER ()) so a page past the end still
	// reports the true total.
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM rooms r
JOIN topics t ON t.id = r.topic_id
JOIN users u ON u.id = r.host_id`+roomSearch, pattern)
	b.Queue(roomSelect+roomSearch+`
ORDER BY r.updated DESC, r.id DESC
LIMIT $2 OFFSET $3`, pattern, perPage, int64(page-1)*int64(perPage))
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()

	res := service.RoomPage{Page: page, PerPage: perPage}
	if err := br.QueryRow().Scan(&res.Total); err != nil {
		return service.RoomPage{}, fmt.Errorf("store: count rooms: %w", err)
	}
	rows, err := br.Query()
	if err != nil {
		return service.RoomPage{}, fmt.Errorf("store: list rooms: %w", err)
	}
	res.Rooms, err = pgx.CollectRows(rows, scanRoom)
	if err != nil {
		return service.RoomPage{}, fmt.Errorf("store: list rooms: %w", err)
	}
	if res.Rooms == nil {
		res.Rooms = []service.Room{} // the wire shows [], not null
	}
	return res, br.Close()
}

// CreateRoom creates a room hosted by hostID under the topic named
// in.Topic, creating the topic if needed, and returns it as listed.
func (s *Store) CreateRoom(ctx context.Context, hostID int64, in service.NewRoom) (service.Room, error) {
	var room service.Room
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		topicID, err := getOrCreateTopic(ctx, tx, in.Topic)
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRow(ctx, `INSERT INTO rooms (host_id, topic_id, name, description)
VALUES ($1, $2, $3, $4) RETURNING id`, hostID, topicID, in.Name, in.Description).Scan(&id)
		if isForeignKeyViolation(err, "rooms_host_id_fkey") {
			return service.Errorf(service.CodeNotFound, "user %d not found", hostID)
		}
		if err != nil {
			return fmt.Errorf("store: insert room: %w", err)
		}
		room, err = roomByID(ctx, tx, id)
		return err
	})
	return room, err
}

// roomByID returns one room, or a not_found error.
func roomByID(ctx context.Context, q querier, id int64) (service.Room, error) {
	rows, err := q.Query(ctx, roomSelect+` WHERE r.id = $1`, id)
	if err != nil {
		return service.Room{}, fmt.Errorf("store: room %d: %w", id, err)
	}
	room, err := pgx.CollectExactlyOneRow(rows, scanRoom)
	if errors.Is(err, pgx.ErrNoRows) {
		return service.Room{}, service.Errorf(service.CodeNotFound, "room %d not found", id)
	}
	if err != nil {
		return service.Room{}, fmt.Errorf("store: room %d: %w", id, err)
	}
	return room, nil
}

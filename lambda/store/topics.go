package store

import (
	"context"
	"fmt"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/jackc/pgx/v5"
)

// getOrCreateTopic returns the id of the topic named name
// case-insensitively, creating it with this spelling if none exists.
//
// It is two statements on purpose. Under READ COMMITTED, the INSERT waits
// for any concurrent transaction inserting the same lower(name) and then
// does nothing; the SELECT, taking a fresh snapshot, then sees that row. A
// single statement (a CTE) would share one snapshot and could miss it.
func getOrCreateTopic(ctx context.Context, tx pgx.Tx, name string) (int64, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO topics (name) VALUES ($1)
ON CONFLICT ((lower(name))) DO NOTHING`, name); err != nil {
		return 0, fmt.Errorf("store: create topic: %w", err)
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM topics WHERE lower(name) = lower($1)`, name).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: find topic: %w", err)
	}
	return id, nil
}

// topicsSQL lists the topics whose names match $1 (a contains pattern)
// with their room counts, most used first. Each topic keeps its count
// (migration 0007), so this reads the topics alone.
const topicsSQL = `SELECT t.id, t.name, t.rooms
FROM topics t
WHERE t.name ILIKE $1 ESCAPE E'\\'
ORDER BY t.rooms DESC, lower(t.name), t.id`

// totalRoomsSQL counts every room from the topics' counts: every room
// has a topic.
const totalRoomsSQL = `SELECT coalesce(sum(rooms), 0)::bigint FROM topics`

func scanTopic(row pgx.CollectableRow) (contract.Topic, error) {
	var t contract.Topic
	err := row.Scan(&t.ID, &t.Name, &t.Rooms)
	return t, err
}

// ListTopics returns the topics whose names contain q (case-insensitive,
// literal), by room count then name, and the total number of rooms.
func (s *Store) ListTopics(ctx context.Context, q string) (contract.TopicList, error) {
	b := &pgx.Batch{}
	var res contract.TopicList
	queueTopics(b, q, &res)
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return contract.TopicList{}, err
	}
	return res, nil
}

// queueTopics queues ListTopics' statements on b, to fill res when the
// batch runs. Every room has a topic, so without a search the total is
// the sum of the counts and needs no statement of its own.
func queueTopics(b *pgx.Batch, q string, res *contract.TopicList) {
	if q != "" {
		b.Queue(totalRoomsSQL).QueryRow(func(row pgx.Row) error {
			if err := row.Scan(&res.TotalRooms); err != nil {
				return fmt.Errorf("store: count rooms: %w", err)
			}
			return nil
		})
	}
	b.Queue(topicsSQL, containsPattern(q)).Query(func(rows pgx.Rows) error {
		topics, err := pgx.CollectRows(rows, scanTopic)
		if err != nil {
			return fmt.Errorf("store: list topics: %w", err)
		}
		res.Topics = orEmpty(topics)
		if q == "" {
			for _, t := range topics {
				res.TotalRooms += t.Rooms
			}
		}
		return nil
	})
}

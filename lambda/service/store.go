package service

import (
	"context"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// Store is the persistence the service needs. Package store implements it
// over PostgreSQL; tests may fake it. Implementations return *contract.Error for
// outcomes the client should see (not_found, conflict) and plain errors
// for failures. The service validates input and checks ownership before
// calling a mutation; the mutations repeat the owner in their WHERE
// clause so a check and a write can never disagree.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error

	// CreateUser stores a validated registration with its password hash.
	// A taken username or email is a conflict *contract.Error with Fields.
	CreateUser(ctx context.Context, in contract.NewUser, passwordHash string) (contract.User, error)
	// UserByID returns the user with its email and counts, or not_found.
	UserByID(ctx context.Context, id int64) (contract.User, error)
	// LoginByEmail returns the id and password hash of the user whose
	// email matches case-insensitively; ok is false when there is none
	// or the account has no password.
	LoginByEmail(ctx context.Context, email string) (id int64, hash string, ok bool, err error)
	// UpdateUser applies the non-nil fields of a validated update, or
	// returns not_found or a conflict *contract.Error with Fields. When the email
	// changes, every session of the user but keepSession is deleted in
	// the same transaction.
	UpdateUser(ctx context.Context, id int64, in contract.UserUpdate, keepSession int64) (contract.User, error)

	// CreateSession records a new login session of userID lasting until
	// expires and returns its id.
	CreateSession(ctx context.Context, userID int64, expires time.Time) (int64, error)
	// SessionActive reports whether session id of userID exists and has
	// not expired.
	SessionActive(ctx context.Context, id, userID int64) (bool, error)
	// DeleteSession ends session id of userID; ending one that is
	// already gone is not an error.
	DeleteSession(ctx context.Context, id, userID int64) error

	// StartLogin records a login attempt for key under policy p,
	// atomically. It returns a positive wait when the key is locked, in
	// which case the attempt must be refused without checking the
	// password.
	StartLogin(ctx context.Context, key string, p LoginPolicy) (wait time.Duration, err error)
	// LoginSucceeded forgets the failures recorded for key.
	LoginSucceeded(ctx context.Context, key string) error
	// LoginLock returns how much longer key is locked, 0 if it is not;
	// it counts nothing.
	LoginLock(ctx context.Context, key string) (time.Duration, error)

	// ListRooms returns the rooms matching q (already validated), most
	// recently updated first.
	ListRooms(ctx context.Context, q RoomQuery, perPage int) (contract.RoomPage, error)
	// contract.RoomDetail returns a room with its participants and its newest
	// limit messages below id before (0: the newest of all), or
	// not_found.
	RoomDetail(ctx context.Context, id, before int64, limit int) (contract.RoomDetail, error)
	// RoomHost returns the host of a room, or not_found.
	RoomHost(ctx context.Context, id int64) (int64, error)
	// CreateRoom creates a room hosted by hostID, creating its topic if
	// no topic has that name case-insensitively. An unknown host is
	// unauthorized (the token outlived its user).
	CreateRoom(ctx context.Context, hostID int64, in contract.NewRoom) (contract.Room, error)
	// UpdateRoom applies a validated update to room id if hostID hosts
	// it; otherwise not_found.
	UpdateRoom(ctx context.Context, id, hostID int64, in contract.RoomUpdate) (contract.Room, error)
	// DeleteRoom deletes room id, its messages and participants, if
	// hostID hosts it; otherwise not_found.
	DeleteRoom(ctx context.Context, id, hostID int64) error

	// CreateMessage stores a message by userID in room roomID, adds the
	// author to the participants and bumps the room's updated time.
	// An unknown room is not_found, an unknown user unauthorized.
	CreateMessage(ctx context.Context, roomID, userID int64, body string) (contract.Message, error)
	// RoomMessages returns at most limit messages of room roomID as c
	// selects them, oldest first, and whether more lie beyond; not_found
	// for an unknown room.
	RoomMessages(ctx context.Context, roomID int64, c MessageCursor, limit int) (contract.MessageList, error)
	// MessageByID returns one message, or not_found.
	MessageByID(ctx context.Context, id int64) (contract.Message, error)
	// DeleteMessage deletes message id if userID wrote it; otherwise
	// not_found.
	DeleteMessage(ctx context.Context, id, userID int64) error
	// ListMessages returns the activity feed, newest first.
	ListMessages(ctx context.Context, q MessageQuery, perPage int) (contract.MessagePage, error)

	// ListTopics returns the topics whose names match q with their room
	// counts, and the total number of rooms.
	ListTopics(ctx context.Context, q string) (contract.TopicList, error)

	// Home returns what ListRooms(q, perPage) and ListTopics("") return
	// and the newest activity messages matching q.Q and q.Topic, read
	// together.
	Home(ctx context.Context, q RoomQuery, perPage, activity int) (contract.HomePage, error)
}

// LoginPolicy is how repeated login failures are throttled: once an
// account (by email) has had MaxFailures attempts within Window without a
// success, further attempts are refused for LockFor.
type LoginPolicy struct {
	MaxFailures int
	Window      time.Duration
	LockFor     time.Duration
}

// DefaultLoginPolicy allows 5 failed logins per account in 15 minutes,
// then refuses attempts for 15 minutes.
var DefaultLoginPolicy = LoginPolicy{MaxFailures: 5, Window: 15 * time.Minute, LockFor: 15 * time.Minute}

// DefaultClientLoginPolicy allows 100 failed logins per client address in
// 15 minutes, then refuses that address's logins for 15 minutes. It is
// far above what one person mistypes, because everyone behind one address
// (an office's NAT, or the web app, whose server makes every call) shares
// it; see lambda/README.md for the trade-off.
var DefaultClientLoginPolicy = LoginPolicy{MaxFailures: 100, Window: 15 * time.Minute, LockFor: 15 * time.Minute}

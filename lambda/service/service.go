package service

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of user input. The database has CHECK constraints with the same
// numbers as a last line of defence; these give the friendly errors.
const (
	MaxRoomName        = 200
	MaxTopicName       = 200
	MaxRoomDescription = 2000
	// MaxQuery bounds search strings so a huge q cannot make every
	// ILIKE comparison expensive.
	MaxQuery = 200
	// MaxPage keeps OFFSET arithmetic far from overflow; nobody pages
	// through a million pages of rooms.
	MaxPage = 1_000_000
)

// DefaultPerPage is the page size of room listings.
const DefaultPerPage = 20

// DemoUsername is the seeded user who hosts every new room until login
// exists. TEMPORARY: once requests carry a token, the host is the caller.
const DemoUsername = "demo"

// Store is the persistence the service needs. Package store implements it
// over PostgreSQL; tests may fake it. Implementations return *Error for
// outcomes the client should see (such as not_found) and plain errors for
// failures.
type Store interface {
	// ListRooms returns the rooms matching q (already validated), most
	// recently updated first; page is 1-based.
	ListRooms(ctx context.Context, q string, page, perPage int) (RoomPage, error)
	// CreateRoom creates a room hosted by hostID, creating its topic if
	// no topic has that name case-insensitively.
	CreateRoom(ctx context.Context, hostID int64, in NewRoom) (Room, error)
	// ListTopics returns the topics whose names match q with their room
	// counts, and the total number of rooms.
	ListTopics(ctx context.Context, q string) (TopicList, error)
	// UserByUsername returns the user with that (lower-case) username, or
	// a not_found *Error.
	UserByUsername(ctx context.Context, username string) (UserSummary, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
}

// Service applies the data service's rules on top of a Store.
type Service struct {
	store   Store
	perPage int
}

// New returns a Service over st.
func New(st Store) *Service {
	return &Service{store: st, perPage: DefaultPerPage}
}

// Ping reports whether the database is reachable.
func (s *Service) Ping(ctx context.Context) error {
	return s.store.Ping(ctx)
}

// ListRooms returns page (1-based) of the rooms matching q. q is matched
// case-insensitively and literally against the topic name, room name,
// description and host username; an empty q lists every room.
func (s *Service) ListRooms(ctx context.Context, q string, page int) (RoomPage, error) {
	q, err := cleanQuery(q)
	if err != nil {
		return RoomPage{}, err
	}
	if page < 1 || page > MaxPage {
		return RoomPage{}, &Error{Code: CodeBadRequest, Message: "page must be a positive integer",
			Fields: map[string]string{"page": "must be an integer between 1 and 1000000"}}
	}
	return s.store.ListRooms(ctx, q, page, s.perPage)
}

// ListTopics returns the topics whose names contain q (case-insensitive,
// literal), most used first, with the total number of rooms.
func (s *Service) ListTopics(ctx context.Context, q string) (TopicList, error) {
	q, err := cleanQuery(q)
	if err != nil {
		return TopicList{}, err
	}
	return s.store.ListTopics(ctx, q)
}

// CreateRoom validates in and creates the room with hostID as its host.
// Surrounding white space is trimmed from every field.
func (s *Service) CreateRoom(ctx context.Context, hostID int64, in NewRoom) (Room, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Topic = strings.TrimSpace(in.Topic)
	in.Description = strings.TrimSpace(in.Description)
	fields := map[string]string{}
	checkLine(fields, "name", in.Name, MaxRoomName)
	checkLine(fields, "topic", in.Topic, MaxTopicName)
	if n := utf8.RuneCountInString(in.Description); n > MaxRoomDescription {
		fields["description"] = "must be at most 2000 characters"
	} else if hasControl(in.Description, true) {
		fields["description"] = "must not contain control characters"
	}
	if len(fields) > 0 {
		return Room{}, ValidationError(fields)
	}
	return s.store.CreateRoom(ctx, hostID, in)
}

// DemoHost returns the seeded demo user. TEMPORARY: it stands in for the
// authenticated caller until tokens exist.
func (s *Service) DemoHost(ctx context.Context) (UserSummary, error) {
	return s.store.UserByUsername(ctx, DemoUsername)
}

// checkLine validates a required single-line text field.
func checkLine(fields map[string]string, name, v string, limit int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		fields[name] = "is required"
	case n > limit:
		fields[name] = "must be at most " + strconv.Itoa(limit) + " characters"
	case hasControl(v, false):
		fields[name] = "must not contain control characters"
	}
}

// cleanQuery trims a search string and rejects what the database could not
// store or compare (NUL bytes fail in PostgreSQL text) or what is too long.
func cleanQuery(q string) (string, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > MaxQuery {
		return "", &Error{Code: CodeBadRequest, Message: "the search query is too long",
			Fields: map[string]string{"q": "must be at most 200 characters"}}
	}
	if hasControl(q, false) || !utf8.ValidString(q) {
		return "", &Error{Code: CodeBadRequest, Message: "the search query contains control characters",
			Fields: map[string]string{"q": "must not contain control characters"}}
	}
	return q, nil
}

// hasControl reports whether s holds control characters. Multi-line text
// may keep newlines and tabs. Rejecting the rest matters beyond looks: a NUL
// byte makes PostgreSQL fail the whole statement.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

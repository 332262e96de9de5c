package dataapi

import (
	"context"
	"net/http"
	"net/url"

	"github.com/coolroom/testbed/lambda/contract"
)

// Health checks the data service end to end (API Gateway, Lambda, Postgres).
func (c *Client) Health(ctx context.Context) error {
	var out contract.Health
	return c.do(ctx, http.MethodGet, "/health", nil, nil, &out)
}

// Register creates an account and returns it with a token.
func (c *Client) Register(ctx context.Context, in contract.NewUser) (*contract.AuthResult, error) {
	var out contract.AuthResult
	return &out, c.do(ctx, http.MethodPost, "/users", nil, in, &out)
}

// Login exchanges an email and password for a token.
func (c *Client) Login(ctx context.Context, in contract.Credentials) (*contract.AuthResult, error) {
	var out contract.AuthResult
	return &out, c.do(ctx, http.MethodPost, "/sessions", nil, in, &out)
}

// Logout ends the session of the client's token in the data service:
// the token, and any copy of it, is refused from then on.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, http.MethodDelete, "/sessions/current", nil, nil, nil)
}

// GetUser returns a profile (with the email when the caller is that user).
func (c *Client) GetUser(ctx context.Context, userID int64) (*contract.User, error) {
	var out contract.User
	return &out, c.do(ctx, http.MethodGet, "/users/"+id(userID), nil, nil, &out)
}

// UpdateUser changes the caller's own profile.
func (c *Client) UpdateUser(ctx context.Context, userID int64, in contract.UserUpdate) (*contract.User, error) {
	var out contract.User
	return &out, c.do(ctx, http.MethodPatch, "/users/"+id(userID), nil, in, &out)
}

// RoomQuery selects rooms: Q searches topic, name, description and host
// username; Host limits to one host's rooms; Page is 1-based.
type RoomQuery struct {
	Q string
	// Topic keeps the rooms of exactly this topic (any letter case).
	Topic string
	Host  int64
	Page  int
}

// ListRooms returns one page of rooms.
func (c *Client) ListRooms(ctx context.Context, q RoomQuery) (*contract.RoomPage, error) {
	v := listing(q.Q, q.Topic, q.Page)
	setInt(v, "host", q.Host)
	var out contract.RoomPage
	return &out, c.do(ctx, http.MethodGet, "/rooms", v, nil, &out)
}

// GetRoom returns a room with its participants and its newest page of
// messages, or the page before message id before when it is positive.
func (c *Client) GetRoom(ctx context.Context, roomID, before int64) (*contract.RoomDetail, error) {
	v := url.Values{}
	setInt(v, "before", before)
	var out contract.RoomDetail
	return &out, c.do(ctx, http.MethodGet, "/rooms/"+id(roomID), v, nil, &out)
}

// CreateRoom creates a room hosted by the caller.
func (c *Client) CreateRoom(ctx context.Context, in contract.NewRoom) (*contract.Room, error) {
	var out contract.Room
	return &out, c.do(ctx, http.MethodPost, "/rooms", nil, in, &out)
}

// UpdateRoom changes a room; only its host may.
func (c *Client) UpdateRoom(ctx context.Context, roomID int64, in contract.RoomUpdate) (*contract.Room, error) {
	var out contract.Room
	return &out, c.do(ctx, http.MethodPatch, "/rooms/"+id(roomID), nil, in, &out)
}

// DeleteRoom deletes a room with its messages; only its host may.
func (c *Client) DeleteRoom(ctx context.Context, roomID int64) error {
	return c.do(ctx, http.MethodDelete, "/rooms/"+id(roomID), nil, nil, nil)
}

// MessagesAfter returns a page of a room's messages newer than the
// message with id after (0: from the first), oldest first: the
// live-update feed. HasMore says the next page is already there.
func (c *Client) MessagesAfter(ctx context.Context, roomID, after int64) (*contract.MessageList, error) {
	v := url.Values{}
	v.Set("after", id(after)) // always sent: without it the service gives the newest page
	var out contract.MessageList
	return &out, c.do(ctx, http.MethodGet, "/rooms/"+id(roomID)+"/messages", v, nil, &out)
}

// LatestMessages returns a room's newest page of messages, oldest first;
// HasMore says earlier ones exist.
func (c *Client) LatestMessages(ctx context.Context, roomID int64) (*contract.MessageList, error) {
	var out contract.MessageList
	return &out, c.do(ctx, http.MethodGet, "/rooms/"+id(roomID)+"/messages", nil, nil, &out)
}

// PostMessage posts to a room as the caller, who becomes a participant.
func (c *Client) PostMessage(ctx context.Context, roomID int64, body string) (*contract.Message, error) {
	var out contract.Message
	return &out, c.do(ctx, http.MethodPost, "/rooms/"+id(roomID)+"/messages", nil, contract.NewMessage{Body: body}, &out)
}

// GetMessage returns one message.
func (c *Client) GetMessage(ctx context.Context, messageID int64) (*contract.Message, error) {
	var out contract.Message
	return &out, c.do(ctx, http.MethodGet, "/messages/"+id(messageID), nil, nil, &out)
}

// DeleteMessage deletes a message; only its author may.
func (c *Client) DeleteMessage(ctx context.Context, messageID int64) error {
	return c.do(ctx, http.MethodDelete, "/messages/"+id(messageID), nil, nil, nil)
}

// MessageQuery selects messages: Q filters like the room search, User
// limits to one author; Page is 1-based.
type MessageQuery struct {
	Q string
	// Topic keeps the messages in rooms of exactly this topic.
	Topic string
	User  int64
	Page  int
}

// ListMessages returns one page of messages, newest first.
func (c *Client) ListMessages(ctx context.Context, q MessageQuery) (*contract.MessagePage, error) {
	v := listing(q.Q, q.Topic, q.Page)
	setInt(v, "user", q.User)
	var out contract.MessagePage
	return &out, c.do(ctx, http.MethodGet, "/messages", v, nil, &out)
}

// Home returns the home page's lists in one call: the rooms q selects (its
// Host must be 0), every topic, and the activity matching q's search and
// topic.
func (c *Client) Home(ctx context.Context, q RoomQuery) (*contract.HomePage, error) {
	var out contract.HomePage
	return &out, c.do(ctx, http.MethodGet, "/home", listing(q.Q, q.Topic, q.Page), nil, &out)
}

// ListTopics returns the topics matching q with their room counts.
func (c *Client) ListTopics(ctx context.Context, q string) (*contract.TopicList, error) {
	v := listing(q, "", 0)
	var out contract.TopicList
	return &out, c.do(ctx, http.MethodGet, "/topics", v, nil, &out)
}

// listing is the query of a listing: the search q, the exact topic and
// the 1-based page, each left out when empty (page 1 is the default).
func listing(q, topic string, page int) url.Values {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if topic != "" {
		v.Set("topic", topic)
	}
	if page > 1 {
		setInt(v, "page", int64(page))
	}
	return v
}

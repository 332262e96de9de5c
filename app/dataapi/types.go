package dataapi

import "time"

// The wire types of the data API (the contract is in
// lambda/README.md). The app keeps its own copy instead of importing the
// service's package, so it depends on the JSON contract alone, as any other
// client of the API Gateway would.

// UserSummary is a user as shown next to what they own.
type UserSummary struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	// Avatar is the S3 object key of the user's picture; "" means the
	// default avatar.
	Avatar string `json:"avatar"`
}

// User is a profile. Email is only present when the caller is that user.
type User struct {
	ID       int64     `json:"id"`
	Username string    `json:"username"`
	Name     string    `json:"name"`
	Bio      string    `json:"bio"`
	Avatar   string    `json:"avatar"`
	Email    string    `json:"email,omitempty"`
	Created  time.Time `json:"created"`
	// RoomsHosted and Messages count what the user hosts and wrote.
	RoomsHosted int `json:"rooms_hosted"`
	Messages    int `json:"messages"`
}

// Summary returns the user's public face.
func (u User) Summary() UserSummary {
	return UserSummary{ID: u.ID, Username: u.Username, Name: u.Name, Avatar: u.Avatar}
}

// Topic is a room category with its number of rooms.
type Topic struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Rooms int    `json:"rooms"`
}

// Room is a chat room.
type Room struct {
	ID           int64       `json:"id"`
	Name         string      `json:"name"`
	Description  string      `json:"description"`
	Topic        Topic       `json:"topic"`
	Host         UserSummary `json:"host"`
	Participants int         `json:"participants"`
	Created      time.Time   `json:"created"`
	Updated      time.Time   `json:"updated"`
}

// RoomRef names the room a message belongs to.
type RoomRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Message is one chat message.
type Message struct {
	ID      int64       `json:"id"`
	Body    string      `json:"body"`
	User    UserSummary `json:"user"`
	Room    RoomRef     `json:"room"`
	Created time.Time   `json:"created"`
	Updated time.Time   `json:"updated"`
}

// RoomDetail is a room with a page of its messages (the newest, or
// those before a cursor; oldest first) and its participants.
type RoomDetail struct {
	Room     Room      `json:"room"`
	Messages []Message `json:"messages"`
	// HasEarlier says older messages exist (ask with before = the first
	// message's id).
	HasEarlier   bool          `json:"has_earlier"`
	Participants []UserSummary `json:"participants"`
}

// MessageList is one page of a room's messages, oldest first; HasMore
// says more lie beyond it in the direction asked for.
type MessageList struct {
	Messages []Message `json:"messages"`
	HasMore  bool      `json:"has_more"`
}

// RoomPage is one page of rooms, most recently updated first.
type RoomPage struct {
	Rooms   []Room `json:"rooms"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
}

// MessagePage is one page of messages, newest first.
type MessagePage struct {
	Messages []Message `json:"messages"`
	Total    int       `json:"total"`
	Page     int       `json:"page"`
	PerPage  int       `json:"per_page"`
}

// TopicList is the topics with their room counts; TotalRooms counts every
// room whatever the query.
type TopicList struct {
	Topics     []Topic `json:"topics"`
	TotalRooms int     `json:"total_rooms"`
}

// AuthResult is what registering or logging in returns.
type AuthResult struct {
	User    User      `json:"user"`
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// NewUser is a registration.
type NewUser struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Credentials log a user in.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// UserUpdate changes a profile; nil fields are left alone.
type UserUpdate struct {
	Name     *string `json:"name,omitempty"`
	Username *string `json:"username,omitempty"`
	Email    *string `json:"email,omitempty"`
	Bio      *string `json:"bio,omitempty"`
	Avatar   *string `json:"avatar,omitempty"`
}

// RoomInput creates or updates a room. Topic is free text: a new name
// creates the topic.
type RoomInput struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Topic       string `json:"topic"`
}

// NewMessage is a message post.
type NewMessage struct {
	Body string `json:"body"`
}

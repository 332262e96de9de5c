package service

import "time"

// UserSummary is the public face of a user, embedded wherever a user is
// shown next to something they own (a room's host, a message's author).
type UserSummary struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	// Avatar is the object key of the user's picture in the avatar bucket;
	// empty means the app shows its default avatar.
	Avatar string `json:"avatar"`
}

// Topic is a room category. Names are unique case-insensitively; the first
// spelling used is the one kept.
type Topic struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Rooms is the number of rooms currently filed under the topic.
	Rooms int `json:"rooms"`
}

// Room is a chat room as listed and shown by the app.
type Room struct {
	ID          int64       `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Topic       Topic       `json:"topic"`
	Host        UserSummary `json:"host"`
	// Participants is the number of users who have posted in the room.
	Participants int       `json:"participants"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
}

// RoomPage is one page of a room listing, most recently updated first.
type RoomPage struct {
	Rooms []Room `json:"rooms"`
	// Total counts every room matching the query, not only this page.
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// TopicList is the topic listing with the number of rooms in each.
type TopicList struct {
	Topics []Topic `json:"topics"`
	// TotalRooms is the number of rooms in the whole service, whatever the
	// query; the app shows it next to "All".
	TotalRooms int `json:"total_rooms"`
}

// NewRoom is the body of a room creation request. Topic is free text: an
// unknown topic is created, a known one is matched case-insensitively.
type NewRoom struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Topic       string `json:"topic"`
}

// Health is the body of a successful health check.
type Health struct {
	Status string `json:"status"`
}

// User is a user's profile. Email is present only when the caller is that
// user; everyone else sees the public fields.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Bio      string `json:"bio"`
	// Avatar is the object key of the picture, "" for the default.
	Avatar string `json:"avatar"`
	// Email is omitted unless the caller is this user.
	Email   string    `json:"email,omitempty"`
	Created time.Time `json:"created"`
	// RoomsHosted and Messages count the rooms the user hosts and the
	// messages they have written, for the profile page.
	RoomsHosted int `json:"rooms_hosted"`
	Messages    int `json:"messages"`
}

// Summary returns the public face of u.
func (u User) Summary() UserSummary {
	return UserSummary{ID: u.ID, Username: u.Username, Name: u.Name, Avatar: u.Avatar}
}

// AuthResult is the answer to registration and login: the user (with its
// email, since the caller is that user), a bearer token and its expiry.
type AuthResult struct {
	User    User      `json:"user"`
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// NewUser is the body of a registration.
type NewUser struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Credentials is the body of a login.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// UserUpdate is the body of a profile update; absent (nil) fields are left
// as they are.
type UserUpdate struct {
	Name     *string `json:"name,omitempty"`
	Username *string `json:"username,omitempty"`
	Email    *string `json:"email,omitempty"`
	Bio      *string `json:"bio,omitempty"`
	Avatar   *string `json:"avatar,omitempty"`
}

// RoomUpdate is the body of a room update; absent (nil) fields are left as
// they are. Topic is free text, as for NewRoom.
type RoomUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Topic       *string `json:"topic,omitempty"`
}

// RoomQuery selects rooms for a listing. HostID 0 means any host.
type RoomQuery struct {
	Q string
	// Topic, when set, keeps the rooms filed under exactly this topic
	// (its name in any letter case), unlike Q, which matches parts.
	Topic  string
	Page   int
	HostID int64
}

// RoomDetail is one room with a page of its messages — the newest
// RoomMessagesPerPage (before a cursor, if one was given), oldest first —
// and its participants (in the order they joined).
type RoomDetail struct {
	Room     Room      `json:"room"`
	Messages []Message `json:"messages"`
	// HasEarlier says older messages exist: ask for them with
	// before=<the first message's id>.
	HasEarlier   bool          `json:"has_earlier"`
	Participants []UserSummary `json:"participants"`
}

// RoomRef names the room a message belongs to.
type RoomRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Message is one message with its author and room.
type Message struct {
	ID      int64       `json:"id"`
	Body    string      `json:"body"`
	User    UserSummary `json:"user"`
	Room    RoomRef     `json:"room"`
	Created time.Time   `json:"created"`
	Updated time.Time   `json:"updated"`
}

// NewMessage is the body of a message post.
type NewMessage struct {
	Body string `json:"body"`
}

// MessageList is one page of a room's messages, oldest first: after a
// message id (the live-update poll), before one ("load earlier"), or the
// newest.
type MessageList struct {
	Messages []Message `json:"messages"`
	// HasMore says the page stopped short: more messages lie beyond it in
	// the direction asked for (later ones for after, earlier ones
	// otherwise).
	HasMore bool `json:"has_more"`
}

// MessageCursor selects a page of a room's messages. With After set, the
// oldest messages with larger ids (the live poll); with Before > 0, the
// newest with smaller ids ("load earlier"); with neither, the newest.
type MessageCursor struct {
	After  *int64
	Before int64
}

// MessageQuery selects messages for the activity feed. UserID 0 means any
// author.
type MessageQuery struct {
	Q string
	// Topic keeps messages in rooms of exactly this topic, as RoomQuery.
	Topic  string
	UserID int64
	Page   int
}

// MessagePage is one page of the activity feed, newest first.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// Total counts every message matching the query.
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

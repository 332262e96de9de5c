package contract

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

// RoomDetail is one room with a page of its messages — the newest page
// (before a cursor, if one was given), oldest first — and its
// participants (in the order they joined).
type RoomDetail struct {
	Room     Room      `json:"room"`
	Messages []Message `json:"messages"`
	// HasEarlier says older messages exist: ask for them with
	// before=<the first message's id>.
	HasEarlier   bool          `json:"has_earlier"`
	Participants []UserSummary `json:"participants"`
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

// RoomPage is one page of a room listing, most recently updated first.
type RoomPage struct {
	Rooms []Room `json:"rooms"`
	// Total counts every room matching the query, not only this page.
	Total   int `json:"total"`
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// MessagePage is one page of the activity feed, newest first.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// Total counts every message matching the query.
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

// HomePage is what the app's home page shows, in one answer: a page of the
// rooms matching the query, every topic with its room count, and the
// newest messages matching the same query (as many as the page shows).
// One call instead of three saves every home page view two API Gateway →
// Lambda round trips.
type HomePage struct {
	Rooms    RoomPage  `json:"rooms"`
	Topics   TopicList `json:"topics"`
	Activity []Message `json:"activity"`
}

// AuthResult is the answer to registration and login: the user (with its
// email, since the caller is that user), a bearer token and its expiry.
type AuthResult struct {
	User    User      `json:"user"`
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
}

// Health is the body of a successful health check.
type Health struct {
	Status string `json:"status"`
}

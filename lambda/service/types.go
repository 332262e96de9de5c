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

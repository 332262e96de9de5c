package service

// The selections of the listings. They are not wire types: the router
// builds them from query parameters (the JSON bodies are in package
// contract).

// RoomQuery selects rooms for a listing. HostID 0 means any host.
type RoomQuery struct {
	Q string
	// Topic, when set, keeps the rooms filed under exactly this topic
	// (its name in any letter case), unlike Q, which matches parts.
	Topic  string
	Page   int
	HostID int64
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

package contract

// The request bodies. The service decodes them rejecting unknown keys, so
// a field the client sends must exist here.

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

// NewRoom is the body of a room creation request. Topic is free text: an
// unknown topic is created, a known one is matched case-insensitively.
type NewRoom struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Topic       string `json:"topic"`
}

// RoomUpdate is the body of a room update; absent (nil) fields are left as
// they are. Topic is free text, as for NewRoom.
type RoomUpdate struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
	Topic       *string `json:"topic,omitempty"`
}

// NewMessage is the body of a message post.
type NewMessage struct {
	Body string `json:"body"`
}

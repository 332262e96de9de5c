package service

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coolroom/testbed/lambda/contract"
)

// Limits of user input. The database has CHECK constraints with the same
// numbers as a last line of defence; these give the friendly errors.
const (
	MaxRoomName        = 200
	MaxTopicName       = 200
	MaxRoomDescription = 2000
	MaxMessageBody     = 10000
	MaxName            = 200
	MaxBio             = 2000
	MinUsername        = 3
	MaxUsername        = 30
	MaxEmail           = 254
	// MaxQuery bounds search strings so a huge q cannot make every
	// ILIKE comparison expensive.
	MaxQuery = 200
	// MaxPage keeps OFFSET arithmetic far from overflow; nobody pages
	// through a million pages of rooms.
	MaxPage = 1_000_000
)

// usernameRE is the username alphabet, applied after lower-casing.
var usernameRE = regexp.MustCompile(`^[a-z0-9_.-]+$`)

// avatarKeyRE is the shape of an avatar key the web app issues:
// avatars/<user id>/<32 hex digits>.<image extension>. The user id in it
// is what ties a key to its owner (see checkAvatar).
var avatarKeyRE = regexp.MustCompile(`^avatars/([1-9][0-9]{0,18})/[0-9a-f]{32}\.(?:png|jpg|gif|webp)$`)

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

// checkText validates an optional multi-line text field.
func checkText(fields map[string]string, name, v string, limit int) {
	if utf8.RuneCountInString(v) > limit {
		fields[name] = "must be at most " + strconv.Itoa(limit) + " characters"
	} else if hasControl(v, true) {
		fields[name] = "must not contain control characters"
	}
}

// normUsername lower-cases and trims a username.
func normUsername(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// checkUsername validates a normalised username.
func checkUsername(fields map[string]string, v string) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		fields["username"] = "is required"
	case n < MinUsername || n > MaxUsername:
		fields["username"] = "must be 3 to 30 characters"
	case !usernameRE.MatchString(v):
		fields["username"] = "may contain only letters, digits and _ . -"
	}
}

// checkEmail validates a trimmed email: a bare address, no display name.
func checkEmail(fields map[string]string, v string) {
	if v == "" {
		fields["email"] = "is required"
		return
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || utf8.RuneCountInString(v) > MaxEmail || hasControl(v, false) ||
		!strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		fields["email"] = "must be a valid email address"
	}
}

// AvatarKeyRule is the message for an avatar key the service will not
// store.
const AvatarKeyRule = `must be "" or an avatar key of this user: avatars/<user id>/<32 hex digits>.png, .jpg, .gif or .webp`

// checkAvatar validates an avatar object key for user userID; "" selects
// the default. Only keys under the user's own avatars/<id>/ prefix are
// accepted: the web app deletes a user's previous avatar after an upload,
// so a key naming someone else's avatar or a static file would let the
// user delete that object.
func checkAvatar(fields map[string]string, v string, userID int64) {
	if v == "" {
		return
	}
	m := avatarKeyRE.FindStringSubmatch(v)
	if m == nil || m[1] != strconv.FormatInt(userID, 10) {
		fields["avatar"] = AvatarKeyRule
	}
}

// cleanQuery trims a search string and rejects what the database could not
// store or compare (NUL bytes fail in PostgreSQL text) or what is too long.
func cleanQuery(q string) (string, error) { return cleanParam("q", q) }

// cleanParam checks a free-text query parameter (q, topic) like q.
func cleanParam(name, q string) (string, error) {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > MaxQuery {
		return "", &contract.Error{Code: contract.CodeBadRequest, Message: "the " + name + " parameter is too long",
			Fields: map[string]string{name: "must be at most 200 characters"}}
	}
	if hasControl(q, false) || !utf8.ValidString(q) {
		return "", &contract.Error{Code: contract.CodeBadRequest, Message: "the " + name + " parameter contains control characters",
			Fields: map[string]string{name: "must not contain control characters"}}
	}
	return q, nil
}

// checkPage rejects pages outside 1..MaxPage.
func checkPage(page int) error {
	if page < 1 || page > MaxPage {
		return &contract.Error{Code: contract.CodeBadRequest, Message: "page must be a positive integer",
			Fields: map[string]string{"page": "must be an integer between 1 and 1000000"}}
	}
	return nil
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

// checkListing cleans a listing's search q and topic in place and checks
// its page and the user id it is filtered by (idKey names it: host,
// user; 0 means any).
func checkListing(q, topic *string, page int, idKey string, id int64) error {
	var err error
	if *q, err = cleanQuery(*q); err != nil {
		return err
	}
	if *topic, err = cleanParam("topic", *topic); err != nil {
		return err
	}
	if err := checkPage(page); err != nil {
		return err
	}
	if id < 0 {
		return &contract.Error{Code: contract.CodeBadRequest, Message: idKey + " must be a user id",
			Fields: map[string]string{idKey: "must be a positive integer"}}
	}
	return nil
}

package service

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// DefaultTokenTTL is how long a token is valid.
const DefaultTokenTTL = 24 * time.Hour

// MinTokenSecret is the shortest secret NewTokenSigner accepts: anything
// shorter is guessable offline from a single token.
const MinTokenSecret = 16

// tokenPrefix versions the format. v1 tokens (no session id) are refused:
// they could not be revoked.
const tokenPrefix = "v2"

// b64 is the unpadded URL-safe alphabet: tokens travel in headers.
var b64 = base64.RawURLEncoding

// TokenSigner issues and verifies bearer tokens:
//
//	v2.<user id>.<session id>.<expiry, Unix seconds>.<base64url HMAC-SHA256>
//
// The MAC covers everything before it, so neither the user, the session
// nor the expiry can be changed without the secret. The signature alone
// does not make a token valid: the session it names must still exist in
// the database (Service.Authenticate checks), which is what lets logout
// end it. Rotating the secret logs everybody out.
type TokenSigner struct {
	secret []byte
	ttl    time.Duration
}

// Claims are what a verified token says: whose it is, which session it
// belongs to, and until when the signature holds.
type Claims struct {
	UserID    int64
	SessionID int64
	Expires   time.Time
}

// NewTokenSigner returns a signer with secret (at least MinTokenSecret
// bytes) issuing tokens valid for ttl (DefaultTokenTTL if zero).
func NewTokenSigner(secret []byte, ttl time.Duration) (*TokenSigner, error) {
	if len(secret) < MinTokenSecret {
		return nil, errors.New("service: the token secret must be at least 16 bytes")
	}
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	return &TokenSigner{secret: append([]byte(nil), secret...), ttl: ttl}, nil
}

// Expiry is when a token issued at now expires (whole seconds, as
// encoded).
func (t *TokenSigner) Expiry(now time.Time) time.Time {
	return now.Add(t.ttl).Truncate(time.Second).UTC()
}

// Issue returns the token of session sessionID of user userID, expiring
// at exp (see Expiry).
func (t *TokenSigner) Issue(userID, sessionID int64, exp time.Time) string {
	payload := tokenPrefix + "." + strconv.FormatInt(userID, 10) + "." + strconv.FormatInt(sessionID, 10) +
		"." + strconv.FormatInt(exp.Unix(), 10)
	return payload + "." + b64.EncodeToString(t.mac(payload))
}

// Verify returns the claims of a token with a valid signature that has
// not expired, or an unauthorized error saying whether it was malformed,
// forged or expired (none of which helps an attacker: the MAC is checked
// in constant time before anything else is trusted).
func (t *TokenSigner) Verify(token string, now time.Time) (Claims, error) {
	bad := Unauthorized("the token is malformed")
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 {
		return Claims{}, bad
	}
	payload, sig := token[:i], token[i+1:]
	got, err := b64.DecodeString(sig)
	if err != nil {
		return Claims{}, bad
	}
	if !hmac.Equal(got, t.mac(payload)) {
		return Claims{}, Unauthorized("the token's signature is invalid")
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 4 || parts[0] != tokenPrefix {
		return Claims{}, bad
	}
	uid, err1 := strconv.ParseInt(parts[1], 10, 64)
	sid, err2 := strconv.ParseInt(parts[2], 10, 64)
	exp, err3 := strconv.ParseInt(parts[3], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || uid <= 0 || sid <= 0 {
		return Claims{}, bad
	}
	if !now.Before(time.Unix(exp, 0)) {
		return Claims{}, Unauthorized("the token has expired; log in again")
	}
	return Claims{UserID: uid, SessionID: sid, Expires: time.Unix(exp, 0).UTC()}, nil
}

func (t *TokenSigner) mac(payload string) []byte {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

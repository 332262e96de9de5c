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

// tokenPrefix versions the format, so a future format can coexist.
const tokenPrefix = "v1"

// b64 is the unpadded URL-safe alphabet: tokens travel in headers.
var b64 = base64.RawURLEncoding

// TokenSigner issues and verifies bearer tokens:
//
//	v1.<user id>.<expiry, Unix seconds>.<base64url HMAC-SHA256>
//
// The MAC covers everything before it, so neither the user nor the
// expiry can be changed without the secret. Tokens are stateless: any
// Lambda instance with the same secret verifies them, and rotating the
// secret logs everybody out.
type TokenSigner struct {
	secret []byte
	ttl    time.Duration
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

// Issue returns a token for userID valid from now for the signer's TTL,
// and its expiry (whole seconds, as encoded).
func (t *TokenSigner) Issue(userID int64, now time.Time) (string, time.Time) {
	exp := now.Add(t.ttl).Truncate(time.Second).UTC()
	payload := tokenPrefix + "." + strconv.FormatInt(userID, 10) + "." + strconv.FormatInt(exp.Unix(), 10)
	return payload + "." + b64.EncodeToString(t.mac(payload)), exp
}

// Verify returns the user id of a valid token, or an unauthorized error
// saying whether it was malformed, forged or expired (none of which helps
// an attacker: the MAC is checked in constant time before anything else
// is trusted).
func (t *TokenSigner) Verify(token string, now time.Time) (int64, error) {
	bad := Unauthorized("the token is malformed")
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(token) > 200 {
		return 0, bad
	}
	payload, sig := token[:i], token[i+1:]
	got, err := b64.DecodeString(sig)
	if err != nil {
		return 0, bad
	}
	if !hmac.Equal(got, t.mac(payload)) {
		return 0, Unauthorized("the token's signature is invalid")
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 3 || parts[0] != tokenPrefix {
		return 0, bad
	}
	uid, err1 := strconv.ParseInt(parts[1], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || uid <= 0 {
		return 0, bad
	}
	if !now.Before(time.Unix(exp, 0)) {
		return 0, Unauthorized("the token has expired; log in again")
	}
	return uid, nil
}

func (t *TokenSigner) mac(payload string) []byte {
	m := hmac.New(sha256.New, t.secret)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

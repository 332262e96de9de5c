package app

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Cookie sealing. Why not gorilla/securecookie: it would give name
// binding, a checked max age and key rotation too, but as HMAC-SHA256
// over AES-CTR with a gob or JSON codec and a longer value; the standard
// library's AES-256-GCM already authenticates and encrypts in one step
// and takes the cookie name as additional data, so the three missing
// pieces are a few lines here: an issued-at inside the sealed value,
// checked on open against the cookie's lifetime; keys derived with HKDF
// (crypto/hkdf) instead of a bare SHA-256; and previous secrets that
// still open (never seal) cookies while a new secret rolls out.
//
// A sealed value is base64url(version | nonce | GCM(issued-at | JSON)),
// with the cookie name as the additional data. Version 1 is this format;
// values of the old format (no version, no issued-at) do not open, so
// users were logged out once when it changed.

// sealVersion is the first byte of every sealed value.
const sealVersion = 1

// cookieLifetimes is how long after sealing each cookie still opens,
// whatever its Expires says (a browser may keep a cookie longer, or a
// copy may be replayed). A name without a lifetime never opens.
var cookieLifetimes = map[string]time.Duration{
	sessionCookie: sessionLifetime,
	flashCookie:   flashLifetime,
	draftCookie:   draftLifetime,
}

// clockSkew is how far in the future an issued-at may lie (replicas'
// clocks differ a little).
const clockSkew = time.Minute

// sealer encrypts and authenticates cookie values: a cookie the browser
// hands back is either exactly what the app wrote, for that cookie name,
// within its lifetime, or rejected.
type sealer struct {
	// aeads[0] seals and opens; the rest (previous secrets) only open.
	aeads []cipher.AEAD
	now   func() time.Time
}

// newSealer derives one AES-256 key per secret with HKDF-SHA256, so any
// secret length from the configuration works. The first secret seals;
// previous ones (empty ones are skipped) still open what they sealed,
// for a rotation. An empty current secret is refused (the caller
// generates one per run instead).
func newSealer(secret []byte, previous ...[]byte) (*sealer, error) {
	if len(secret) == 0 {
		return nil, errors.New("app: empty session key")
	}
	s := &sealer{now: time.Now}
	for _, sec := range append([][]byte{secret}, previous...) {
		if len(sec) == 0 {
			continue
		}
		key, err := hkdf.Key(sha256.New, sec, nil, "coolroom cookie sealing v1", 32)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// seal returns v (as JSON) sealed for the cookie name, issued now.
func (s *sealer) seal(name string, v any) (string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	plain := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(body)), uint64(s.now().Unix()))
	plain = append(plain, body...)
	aead := s.aeads[0]
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealVersion
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out = aead.Seal(out, nonce, plain, []byte(name))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// open reads a value sealed for the cookie name into v, with the current
// key or a previous one; it fails if the value was altered, sealed for
// another name or by an unknown key, or is older than the name's
// lifetime.
func (s *sealer) open(name, value string, v any) error {
	lifetime, ok := cookieLifetimes[name]
	if !ok {
		return fmt.Errorf("cookie %q has no lifetime", name)
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return err
	}
	if len(raw) == 0 || raw[0] != sealVersion {
		return errors.New("sealed value of an unknown format")
	}
	raw = raw[1:]
	var plain []byte
	for _, aead := range s.aeads {
		n := aead.NonceSize()
		if len(raw) < n {
			return errors.New("sealed value too short")
		}
		if plain, err = aead.Open(nil, raw[:n], raw[n:], []byte(name)); err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	if len(plain) < 8 {
		return errors.New("sealed value without an issue time")
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(plain)), 0)
	if now := s.now(); issued.After(now.Add(clockSkew)) || now.Sub(issued) > lifetime {
		return fmt.Errorf("cookie %q was sealed at %s, outside its lifetime of %s", name, issued.UTC().Format(time.RFC3339), lifetime)
	}
	return json.Unmarshal(plain[8:], v)
}

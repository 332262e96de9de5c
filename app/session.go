package app

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// sessionCookie holds the logged-in user's data-service token. The app
// keeps no session state of its own, so any replica can serve any user.
const sessionCookie = "coolroom_session"

// session is what the session cookie carries: the bearer token and the
// user it belongs to (so the header can show who is logged in without a
// data API call on every page).
type session struct {
	Token   string               `json:"t"`
	User    contract.UserSummary `json:"u"`
	Expires time.Time            `json:"e"`
}

// sealer encrypts and authenticates cookie values with AES-256-GCM: a
// cookie the browser hands back is either exactly what the app wrote or
// rejected. The cookie name is the additional data, so one cookie's value
// cannot be replayed as another's.
type sealer struct{ aead cipher.AEAD }

// newSealer derives the AES key from secret with SHA-256, so any secret
// length from the configuration works; an empty secret is refused (the
// caller generates one per run instead).
func newSealer(secret []byte) (*sealer, error) {
	if len(secret) == 0 {
		return nil, errors.New("app: empty session key")
	}
	key := sha256.Sum256(secret)
	block, err := aes.NewCipher(key[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(name string, v any) (string, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, plain, []byte(name))
	return base64.RawURLEncoding.EncodeToString(out), nil
}

func (s *sealer) open(name, value string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return err
	}
	n := s.aead.NonceSize()
	if len(raw) < n {
		return errors.New("sealed value too short")
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(name))
	if err != nil {
		return err
	}
	return json.Unmarshal(plain, v)
}

// isHTTPS reports whether the browser reached us over HTTPS, directly or
// through a TLS-terminating load balancer (the seed's ELB).
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (a *App) setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: isHTTPS(r),
	}
	if expires.IsZero() {
		// Deleting: an expiry in the past makes every browser drop it.
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	http.SetCookie(w, c)
}

// startSession stores the token from a login or registration.
func (a *App) startSession(w http.ResponseWriter, r *http.Request, res *contract.AuthResult) error {
	s := session{Token: res.Token, User: res.User.Summary(), Expires: res.Expires}
	if s.Expires.IsZero() {
		s.Expires = time.Now().Add(24 * time.Hour)
	}
	return a.saveSession(w, r, s)
}

func (a *App) saveSession(w http.ResponseWriter, r *http.Request, s session) error {
	v, err := a.cookies.seal(sessionCookie, s)
	if err != nil {
		return err
	}
	a.setCookie(w, r, sessionCookie, v, s.Expires)
	return nil
}

func (a *App) endSession(w http.ResponseWriter, r *http.Request) {
	a.setCookie(w, r, sessionCookie, "", time.Time{})
}

type sessionKey struct{}

// loadSession opens the session cookie once per request; a missing,
// forged, or expired cookie simply means "not logged in".
func (a *App) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(sessionCookie); err == nil {
			var s session
			if err := a.cookies.open(sessionCookie, c.Value, &s); err == nil && time.Now().Before(s.Expires) {
				r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, &s))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// currentSession returns the logged-in user's session, or nil.
func currentSession(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// dataFor returns the data API client acting as the request's user.
func (a *App) dataFor(r *http.Request) *dataapi.Client {
	if s := currentSession(r); s != nil {
		return a.data.As(s.Token)
	}
	return a.data
}

// requireLogin sends anonymous visitors to the login page, remembering
// where they wanted to go and, for a post, what they typed.
func (a *App) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentSession(r) == nil {
			message := ""
			if r.Method == http.MethodPost {
				parseSmallForm(w, r)
				message = "Please log in to continue."
			}
			a.loginAgain(w, r, a.lapsedSessionUser(r), message)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// lapsedSessionUser is the user of a session cookie that is authentic
// but expired, or 0: it ties a kept draft to its author.
func (a *App) lapsedSessionUser(r *http.Request) int64 {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return 0
	}
	var s session
	if a.cookies.open(sessionCookie, c.Value, &s) != nil {
		return 0
	}
	return s.User.ID
}

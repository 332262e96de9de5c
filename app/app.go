// Package app is The Cool Room web app: server-rendered pages over the data
// API (reached through API Gateway), avatars and static files on S3.
package app

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/coolroom/testbed/app/dataapi"
)

// DefaultAvatarMaxBytes is the largest avatar upload accepted by default.
const DefaultAvatarMaxBytes = 2 << 20

// Config wires the app to its backing services.
type Config struct {
	Logger *slog.Logger
	// Data is the data API client (API Gateway invoke URL).
	Data *dataapi.Client
	// S3 and Bucket hold the static files the deployer published.
	S3     *s3.Client
	Bucket string
	// AvatarBucket stores uploaded avatars under "avatars/"; empty means
	// Bucket.
	AvatarBucket string
	// AvatarMaxBytes limits an avatar upload (default 2 MiB).
	AvatarMaxBytes int64
	// SessionKey encrypts and authenticates the session and flash cookies.
	// Empty generates a random key, so sessions end with the process; give
	// every replica the same key to let any of them serve any user.
	SessionKey []byte
	// PreviousSessionKey, during a rotation of SessionKey, still opens
	// the cookies it sealed (it seals none); empty when there is none.
	PreviousSessionKey []byte
	// PollInterval is how often an open room asks for new messages
	// (default 2 s).
	PollInterval time.Duration
	// OnPage, if set, receives every page view once served (`coolroom up`
	// shows them in the emulator's console above their data-API calls).
	OnPage func(PageView)
}

// App is the web app's HTTP handler.
type App struct {
	log          *slog.Logger
	data         *dataapi.Client
	s3           *s3.Client
	bucket       string
	avatarBucket string
	avatarMax    int64
	pollInterval time.Duration
	cookies      *sealer
	logins       *loginLimiter
	pages        *pages
	router       http.Handler
	onPage       func(PageView)
	// idPrefix and idSeq make request ids.
	idPrefix string
	idSeq    atomic.Int64
}

// New parses the templates (failing fast on errors) and builds the router.
func New(cfg Config) (*App, error) {
	if cfg.Data == nil || cfg.S3 == nil || cfg.Bucket == "" {
		return nil, errors.New("app: Data, S3 and Bucket are required")
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	key := cfg.SessionKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	cookies, err := newSealer(key, cfg.PreviousSessionKey)
	if err != nil {
		return nil, err
	}
	a := &App{
		log: cfg.Logger, data: cfg.Data, s3: cfg.S3, bucket: cfg.Bucket,
		avatarBucket: cfg.AvatarBucket, avatarMax: cfg.AvatarMaxBytes, pollInterval: cfg.PollInterval,
		cookies: cookies, pages: p, logins: newLoginLimiter(browserLoginFailures, browserLoginWindow),
		onPage: cfg.OnPage, idPrefix: randomIDPrefix(),
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.avatarBucket == "" {
		a.avatarBucket = a.bucket
	}
	if a.avatarMax <= 0 {
		a.avatarMax = DefaultAvatarMaxBytes
	}
	if a.pollInterval <= 0 {
		a.pollInterval = 2 * time.Second
	}
	a.router = a.routes()
	return a, nil
}

func (a *App) routes() http.Handler {
	// Cross-origin POSTs (CSRF) are refused with 403 by Go's own check of
	// Sec-Fetch-Site and Origin; the session cookie's SameSite=Lax is a
	// second line for browsers that send neither header. The check runs
	// inside securityHeaders, so its refusal page carries the same CSP,
	// nosniff, frame and referrer headers as every other page.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.renderError(w, r, http.StatusForbidden, "Request refused",
			"This form was sent from another site, so it was not accepted. Nothing was changed.")
	}))
	r := chi.NewRouter()
	r.Use(a.logRequests, timePages, a.recoverPanics, securityHeaders, middleware.GetHead, a.loadSession, cop.Handler)

	r.Get("/", a.handleHome)
	r.Get("/login", a.handleLoginForm)
	r.Post("/login", a.handleLogin)
	r.Get("/register", a.handleRegisterForm)
	r.Post("/register", a.handleRegister)
	r.Post("/logout", a.handleLogout)
	r.Get("/room/{id}", a.handleRoom)
	r.Get("/room/{id}/messages", a.handleRoomMessages)
	r.Get("/profile/{id}", a.handleProfile)
	r.Get("/topics", a.handleTopics)
	r.Get("/activity", a.handleActivity)
	r.Group(func(r chi.Router) {
		r.Use(a.requireLogin)
		r.Post("/room/{id}", a.handlePostMessage)
		r.Get("/create-room", a.handleCreateRoomForm)
		r.Post("/create-room", a.handleCreateRoom)
		r.Get("/update-room/{id}", a.handleUpdateRoomForm)
		r.Post("/update-room/{id}", a.handleUpdateRoom)
		r.Get("/delete-room/{id}", a.handleDeleteRoomConfirm)
		r.Post("/delete-room/{id}", a.handleDeleteRoom)
		r.Get("/delete-message/{id}", a.handleDeleteMessageConfirm)
		r.Post("/delete-message/{id}", a.handleDeleteMessage)
		r.Get("/update-user", a.handleUpdateUserForm)
		r.Post("/update-user", a.handleUpdateUser)
	})
	r.Get("/api", a.handleAPIIndex)
	r.Get("/api/", a.handleAPIIndex)
	r.Get("/api/rooms", a.handleAPIRooms)
	r.Get("/api/rooms/{id}", a.handleAPIRoom)
	r.Get("/avatars/{name}", a.handleAvatar)
	r.Get("/avatars/{user}/{name}", a.handleAvatar)
	r.Get("/static/{name}", a.handleStatic)
	r.Get("/healthz", a.handleHealth)
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { a.notFound(w, r) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		a.renderError(w, r, http.StatusMethodNotAllowed, "Not allowed", "This page does not accept that kind of request.")
	})
	return r
}

// ServeHTTP serves the app.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

func (a *App) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"status":"ok"}`))
}

// randomIDPrefix is 8 random base-32 characters: request ids of replicas
// and restarts do not collide.
func randomIDPrefix() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.EncodeToString(b))
}

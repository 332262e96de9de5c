package service

import (
	"context"
	"errors"
)

// Page sizes of the listings.
const (
	// DefaultPerPage is the page size of room listings.
	DefaultPerPage = 20
	// MessagesPerPage is the page size of the activity feed.
	MessagesPerPage = 20
	// HomeActivity is how many of the newest messages GET /home answers:
	// what the home page's activity column shows.
	HomeActivity = 8
	// RoomMessagesPerPage is how many of a room's messages one page
	// (GET /rooms/{id} or /rooms/{id}/messages) holds.
	RoomMessagesPerPage = 50
)

// PasswordHasher hashes and checks passwords. Package password implements
// it with argon2id; it is an interface so this package stays on the
// standard library (see the package comment).
type PasswordHasher interface {
	// Hash returns a self-describing hash of password (salt and
	// parameters included).
	Hash(password string) (string, error)
	// Verify reports whether password matches hash, in time that does
	// not depend on where they differ.
	Verify(hash, password string) (bool, error)
	// Unmatchable returns a hash in Hash's format and at its cost that no
	// password matches, made without hashing: a login naming no account
	// is verified against it, so it costs what a wrong password costs,
	// and a cold start does not pay for a hash to get it.
	Unmatchable() (string, error)
}

// Options configure a Service. Store, Hasher and Tokens are required.
type Options struct {
	Hasher PasswordHasher
	Tokens *TokenSigner
	// Login throttles failed logins per account (email); the zero value
	// means DefaultLoginPolicy.
	Login LoginPolicy
	// ClientLogin throttles failed logins per client network address;
	// the zero value means DefaultClientLoginPolicy.
	ClientLogin LoginPolicy
}

// Service applies the data service's rules on top of a Store: validation,
// authentication and ownership. Every caller-dependent method takes the
// caller's user id (0 for anonymous) so authorization does not depend on
// the HTTP layer.
type Service struct {
	store   Store
	hasher  PasswordHasher
	tokens  *TokenSigner
	login   LoginPolicy
	client  LoginPolicy
	perPage int
	// dummyHash is verified against when a login names no account, so an
	// unknown email costs the same time as a wrong password.
	dummyHash string
}

// New returns a Service over st.
func New(st Store, opts Options) (*Service, error) {
	if opts.Hasher == nil || opts.Tokens == nil {
		return nil, errors.New("service: a password hasher and a token signer are required")
	}
	dummy, err := opts.Hasher.Unmatchable()
	if err != nil {
		return nil, err
	}
	login, client := opts.Login, opts.ClientLogin
	if login == (LoginPolicy{}) {
		login = DefaultLoginPolicy
	}
	if client == (LoginPolicy{}) {
		client = DefaultClientLoginPolicy
	}
	return &Service{store: st, hasher: opts.Hasher, tokens: opts.Tokens, login: login, client: client,
		perPage: DefaultPerPage, dummyHash: dummy}, nil
}

// Ping reports whether the database is reachable.
func (s *Service) Ping(ctx context.Context) error {
	return s.store.Ping(ctx)
}

// requireCaller turns an anonymous caller into an unauthorized error.
func requireCaller(caller int64) error {
	if caller <= 0 {
		return Unauthorized("this request needs a bearer token; log in first")
	}
	return nil
}

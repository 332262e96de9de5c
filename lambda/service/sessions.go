package service

import (
	"context"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// Session is an authenticated caller: the user and the login session
// whose token they presented. ID 0 is an anonymous caller.
type Session struct {
	ID     int64
	UserID int64
}

// Authenticate returns the session a bearer token belongs to, or an
// unauthorized error when the token is malformed, forged or expired, or
// its session has ended (logout, an email change elsewhere, a deleted
// user). The last check is a database read on every authenticated call:
// that is what makes a token revocable.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	c, err := s.tokens.Verify(token, time.Now())
	if err != nil {
		return Session{}, err
	}
	ok, err := s.store.SessionActive(ctx, c.SessionID, c.UserID)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, Unauthorized("the session has ended; log in again")
	}
	return Session{ID: c.SessionID, UserID: c.UserID}, nil
}

// Logout ends the caller's session: its token (and any copy of it) is
// refused from now on. Other sessions of the user are untouched.
func (s *Service) Logout(ctx context.Context, caller Session) error {
	if err := requireCaller(caller.UserID); err != nil {
		return err
	}
	return s.store.DeleteSession(ctx, caller.ID, caller.UserID)
}

// issue starts a session for u and returns u with its token.
func (s *Service) issue(ctx context.Context, u contract.User) (contract.AuthResult, error) {
	exp := s.tokens.Expiry(time.Now())
	id, err := s.store.CreateSession(ctx, u.ID, exp)
	if err != nil {
		return contract.AuthResult{}, err
	}
	return contract.AuthResult{User: u, Token: s.tokens.Issue(u.ID, id, exp), Expires: exp}, nil
}

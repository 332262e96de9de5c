package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/coolroom/testbed/lambda/contract"
)

// errBadLogin is the one answer to every failed login, whether the email
// is unknown, the account has no password or the password is wrong.
func errBadLogin() *contract.Error {
	return Unauthorized("the email or password is incorrect")
}

// Register validates a new account, stores it with an argon2id hash of the
// password and returns it with a token. The username is lower-cased; the
// email is kept as typed but must be unique case-insensitively.
func (s *Service) Register(ctx context.Context, in contract.NewUser) (contract.AuthResult, error) {
	in.Name = strings.TrimSpace(in.Name)
	in.Username = normUsername(in.Username)
	in.Email = strings.TrimSpace(in.Email)
	fields := map[string]string{}
	checkLine(fields, "name", in.Name, MaxName)
	checkUsername(fields, in.Username)
	checkEmail(fields, in.Email)
	if msg := checkPassword(in.Password, in.Username, in.Email, in.Name); msg != "" {
		fields["password"] = msg
	}
	if len(fields) > 0 {
		return contract.AuthResult{}, ValidationError(fields)
	}
	hash, err := s.hasher.Hash(in.Password)
	if err != nil {
		return contract.AuthResult{}, fmt.Errorf("service: hash password: %w", err)
	}
	u, err := s.store.CreateUser(ctx, in, hash)
	if err != nil {
		return contract.AuthResult{}, err
	}
	return s.issue(ctx, u)
}

// Login checks credentials and returns the user with a fresh token.
// client is the caller's network address as API Gateway saw it ("" when
// unknown).
//
// Every failure gives the same error, and an unknown email still costs one
// password verification (against a dummy hash), so neither the answer nor
// its timing tells whether an account exists. Two budgets throttle
// guessing, both kept in the database so every Lambda instance shares
// them:
//
//   - per account: attempts are counted per email before the password is
//     checked, atomically, so concurrent guesses cannot exceed it; once it
//     is spent the email is refused with too_many_attempts (known and
//     unknown emails alike) until the lock expires;
//   - per client: failures are counted per client address after the
//     check, so one client cannot spray passwords across many emails (or
//     lock out many accounts). A success does not count, so a busy address
//     with many users is only refused once its users fail often.
func (s *Service) Login(ctx context.Context, in contract.Credentials, client string) (contract.AuthResult, error) {
	email := strings.TrimSpace(in.Email)
	fields := map[string]string{}
	if email == "" {
		fields["email"] = "is required"
	}
	if in.Password == "" {
		fields["password"] = "is required"
	}
	if len(fields) > 0 {
		return contract.AuthResult{}, ValidationError(fields)
	}
	if len(email) > MaxEmail || len(in.Password) > 4*MaxPassword || hasControl(email, false) {
		// Cannot belong to any account; no need to spend a hash, and
		// a NUL byte would fail the statement.
		return contract.AuthResult{}, errBadLogin()
	}
	// The prefixes keep the two kinds of keys apart whatever is typed as
	// an email.
	clientKey := ""
	if client != "" {
		clientKey = "client:" + client
		wait, err := s.store.LoginLock(ctx, clientKey)
		if err != nil {
			return contract.AuthResult{}, err
		}
		if wait > 0 {
			return contract.AuthResult{}, &contract.Error{Code: contract.CodeTooManyAttempts, RetryAfter: wait,
				Message: "too many failed logins from this network address; try again later"}
		}
	}
	key := "email:" + strings.ToLower(email)
	wait, err := s.store.StartLogin(ctx, key, s.login)
	if err != nil {
		return contract.AuthResult{}, err
	}
	if wait > 0 {
		return contract.AuthResult{}, &contract.Error{Code: contract.CodeTooManyAttempts, RetryAfter: wait,
			Message: "too many failed logins for this account; try again later"}
	}
	id, hash, found, err := s.store.LoginByEmail(ctx, email)
	if err != nil {
		return contract.AuthResult{}, err
	}
	if !found {
		hash = s.dummyHash
	}
	ok, err := s.hasher.Verify(hash, in.Password)
	if err != nil {
		return contract.AuthResult{}, fmt.Errorf("service: verify password: %w", err)
	}
	if !found || !ok {
		if clientKey != "" {
			// StartLogin counts one failure under the client policy
			// (and sets the lock when it is the last allowed).
			if _, err := s.store.StartLogin(ctx, clientKey, s.client); err != nil {
				return contract.AuthResult{}, err
			}
		}
		return contract.AuthResult{}, errBadLogin()
	}
	if err := s.store.LoginSucceeded(ctx, key); err != nil {
		return contract.AuthResult{}, err
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return contract.AuthResult{}, err
	}
	return s.issue(ctx, u)
}

// GetUser returns a user's profile; the email only when the caller is
// that user.
func (s *Service) GetUser(ctx context.Context, caller, id int64) (contract.User, error) {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return contract.User{}, err
	}
	if caller != id {
		u.Email = ""
	}
	return u, nil
}

// UpdateUser changes the given fields of the caller's own profile.
// Username and email uniqueness is enforced again (by the database, so
// two concurrent updates cannot both take a name). A changed email ends
// every other session of the user ("log out everywhere"): whoever had
// the account elsewhere must log in again with the new address. The
// caller's own session goes on.
func (s *Service) UpdateUser(ctx context.Context, caller Session, id int64, in contract.UserUpdate) (contract.User, error) {
	if err := requireCaller(caller.UserID); err != nil {
		return contract.User{}, err
	}
	if caller.UserID != id {
		return contract.User{}, Forbidden("you may only update your own profile")
	}
	fields := map[string]string{}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
		checkLine(fields, "name", *in.Name, MaxName)
	}
	if in.Username != nil {
		*in.Username = normUsername(*in.Username)
		checkUsername(fields, *in.Username)
	}
	if in.Email != nil {
		*in.Email = strings.TrimSpace(*in.Email)
		checkEmail(fields, *in.Email)
	}
	if in.Bio != nil {
		*in.Bio = strings.TrimSpace(*in.Bio)
		checkText(fields, "bio", *in.Bio, MaxBio)
	}
	if in.Avatar != nil {
		*in.Avatar = strings.TrimSpace(*in.Avatar)
		checkAvatar(fields, *in.Avatar, id)
	}
	if len(fields) > 0 {
		return contract.User{}, ValidationError(fields)
	}
	return s.store.UpdateUser(ctx, id, in, caller.ID)
}

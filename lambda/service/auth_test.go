package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

func TestTokens(t *testing.T) {
	signer, err := service.NewTokenSigner([]byte("0123456789abcdef"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	exp := signer.Expiry(now)
	if !exp.After(now.Add(59*time.Minute)) || exp.After(now.Add(time.Hour)) {
		t.Errorf("expires %v", exp)
	}
	tok := signer.Issue(42, 7, exp)
	if c, err := signer.Verify(tok, now); err != nil || c != (service.Claims{UserID: 42, SessionID: 7, Expires: exp}) {
		t.Fatalf("Verify = %+v, %v", c, err)
	}
	other, _ := service.NewTokenSigner([]byte("fedcba9876543210"), time.Hour)
	forged := other.Issue(42, 7, exp)
	bad := map[string]string{
		"expired":         tok,
		"other secret":    forged,
		"changed user":    strings.Replace(tok, ".42.", ".43.", 1),
		"changed session": strings.Replace(tok, ".7.", ".8.", 1),
		"changed expiry":  strings.Replace(tok, fmt.Sprintf(".%d.", exp.Unix()), fmt.Sprintf(".%d.", exp.Unix()+3600), 1),
		"empty":           "",
		"no signature":    tok[:strings.LastIndexByte(tok, '.')],
		"bad base64":      tok + "!",
		"garbage":         "a.b.c.d",
		"very long":       strings.Repeat("x", 1000),
		"other version":   strings.Replace(tok, "v2.", "v1.", 1),
		"truncated sig":   tok[:len(tok)-2],
		"negative user":   "v2.-1.1.99999999999.AAAA",
		"non-numeric ids": "v2.a.b.c.AAAA",
	}
	for name, tk := range bad {
		at := now
		if name == "expired" {
			at = exp
		}
		if _, err := signer.Verify(tk, at); service.CodeOf(err) != contract.CodeUnauthorized {
			t.Errorf("%s: err = %v, want unauthorized", name, err)
		}
	}
	if _, err := service.NewTokenSigner([]byte("short"), 0); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
}

func TestPasswordPolicy(t *testing.T) {
	f := &fakeStore{}
	svc := newService(t, f)
	tests := []struct{ password, username, email, name, want string }{
		{"correct horse battery", "alice", "alice@example.test", "Alice", ""},
		{"short1!", "alice", "a@example.test", "A", "must be at least 8 characters"},
		{"12345678901", "alice", "a@example.test", "A", "must not be entirely numeric"},
		{"iloveyou", "alice", "a@example.test", "A", "is too common"},
		{"PASSWORD1", "alice", "a@example.test", "A", "is too common"}, // case-insensitive
		{"alice2024", "alice", "a@example.test", "A", "is too similar to the username"},
		{"jdoe-mailbox", "zed", "jdoe.mailbox@example.test", "Z", "is too similar to the email"},
		{"Margaret Thatch", "zed", "z@example.test", "Margaret Thatcher", "is too similar to the name"},
		{strings.Repeat("k", 257), "alice", "a@example.test", "A", "must be at most 256 characters"},
		{"1234", "alice", "a@example.test", "A", "must be at least 8 characters; must not be entirely numeric; is too common"},
	}
	for _, tc := range tests {
		_, err := svc.Register(context.Background(), contract.NewUser{Name: tc.name, Username: tc.username, Email: tc.email, Password: tc.password})
		if tc.want == "" {
			if service.CodeOf(err) == contract.CodeValidationFailed {
				t.Errorf("%q rejected: %v", tc.password, err)
			}
			continue
		}
		var fields map[string]string
		if se, ok := err.(*contract.Error); ok {
			fields = se.Fields
		}
		if fields["password"] != tc.want {
			t.Errorf("%q: password error %q, want %q (%v)", tc.password, fields["password"], tc.want, err)
		}
	}
}

// aliceService is a service over a fake store holding one account,
// alice@example.test (id 5, password "right password"), and the hasher
// that counts its verifications.
func aliceService(t *testing.T) (*service.Service, *fakeStore, *countingHasher) {
	t.Helper()
	h := &countingHasher{}
	tokens, _ := service.NewTokenSigner([]byte("0123456789abcdef"), time.Hour)
	f := &fakeStore{users: map[string]fakeUser{"alice@example.test": {id: 5, hash: "h:right password"}}}
	svc, err := service.New(f, service.Options{Hasher: h, Tokens: tokens})
	if err != nil {
		t.Fatal(err)
	}
	return svc, f, h
}

func TestLoginAlwaysVerifiesOnce(t *testing.T) {
	svc, f, h := aliceService(t)
	ctx := context.Background()
	res, err := svc.Login(ctx, contract.Credentials{Email: "Alice@Example.test", Password: "right password"}, "")
	if err != nil || res.User.ID != 5 || res.Token == "" || f.succeded != 1 {
		t.Fatalf("login = %+v, %v", res, err)
	}
	for _, email := range []string{"alice@example.test", "nobody@example.test"} {
		before := len(h.verified)
		_, err := svc.Login(ctx, contract.Credentials{Email: email, Password: "wrong"}, "")
		if service.CodeOf(err) != contract.CodeUnauthorized || err.Error() != "unauthorized: the email or password is incorrect" {
			t.Errorf("%s: err = %v", email, err)
		}
		if len(h.verified) != before+1 {
			t.Errorf("%s: %d verifications, want exactly 1", email, len(h.verified)-before)
		}
	}
	// Locked: refused before any verification, with the wait.
	f.wait = 90 * time.Second
	before := len(h.verified)
	_, err = svc.Login(ctx, contract.Credentials{Email: "alice@example.test", Password: "right password"}, "")
	se, _ := err.(*contract.Error)
	if se == nil || se.Code != contract.CodeTooManyAttempts || se.RetryAfter != 90*time.Second || len(h.verified) != before {
		t.Errorf("locked login: %v", err)
	}
}

// TestLoginCountsClientFailures: besides the per-email budget, failures
// (not successes) are counted per client address, and a locked address
// is refused before any password is checked, whatever the email.
func TestLoginCountsClientFailures(t *testing.T) {
	svc, f, h := aliceService(t)
	ctx := context.Background()
	const client = "203.0.113.7"
	if _, err := svc.Login(ctx, contract.Credentials{Email: "Alice@Example.test", Password: "right password"}, client); err != nil {
		t.Fatal(err)
	}
	if want := []string{"email:alice@example.test"}; !slices.Equal(f.started, want) {
		t.Errorf("a success counted %v, want %v", f.started, want)
	}
	f.started = nil
	if _, err := svc.Login(ctx, contract.Credentials{Email: "bob@example.test", Password: "guess"}, client); service.CodeOf(err) != contract.CodeUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	if want := []string{"email:bob@example.test", "client:" + client}; !slices.Equal(f.started, want) {
		t.Errorf("a failure counted %v, want %v", f.started, want)
	}
	// A typed "email" cannot name a client key.
	f.started = nil
	_, _ = svc.Login(ctx, contract.Credentials{Email: "client:" + client, Password: "guess"}, "")
	if want := []string{"email:client:" + client}; !slices.Equal(f.started, want) {
		t.Errorf("counted %v, want %v", f.started, want)
	}

	f.locked = map[string]time.Duration{"client:" + client: time.Minute}
	f.started, h.verified = nil, nil
	_, err := svc.Login(ctx, contract.Credentials{Email: "alice@example.test", Password: "right password"}, client)
	se, _ := err.(*contract.Error)
	if se == nil || se.Code != contract.CodeTooManyAttempts || se.RetryAfter != time.Minute || len(h.verified) != 0 || len(f.started) != 0 {
		t.Errorf("locked client: %v (verified %d, counted %v)", err, len(h.verified), f.started)
	}
	if _, err := svc.Login(ctx, contract.Credentials{Email: "alice@example.test", Password: "right password"}, "198.51.100.1"); err != nil {
		t.Errorf("another client is not locked: %v", err)
	}
}

func TestOwnership(t *testing.T) {
	ctx := context.Background()
	f := &fakeStore{host: 7, author: 8}
	svc := newService(t, f)
	name := "new"
	cases := []struct {
		name string
		call func() error
		want contract.ErrorCode
	}{
		{"anonymous create", func() error {
			_, err := svc.CreateRoom(ctx, 0, contract.NewRoom{Name: "n", Topic: "t"})
			return err
		}, contract.CodeUnauthorized},
		{"anonymous update", func() error { _, err := svc.UpdateRoom(ctx, 0, 1, contract.RoomUpdate{}); return err }, contract.CodeUnauthorized},
		{"stranger updates", func() error { _, err := svc.UpdateRoom(ctx, 9, 1, contract.RoomUpdate{Name: &name}); return err }, contract.CodeForbidden},
		{"stranger deletes room", func() error { return svc.DeleteRoom(ctx, 9, 1) }, contract.CodeForbidden},
		{"unknown room", func() error { return svc.DeleteRoom(ctx, 7, 404) }, contract.CodeNotFound},
		{"host deletes another's message", func() error { return svc.DeleteMessage(ctx, 7, 1) }, contract.CodeForbidden},
		{"anonymous post", func() error { _, err := svc.PostMessage(ctx, 0, 1, contract.NewMessage{Body: "x"}); return err }, contract.CodeUnauthorized},
		{"update someone else", func() error {
			_, err := svc.UpdateUser(ctx, service.Session{ID: 1, UserID: 7}, 8, contract.UserUpdate{})
			return err
		}, contract.CodeForbidden},
		{"anonymous profile update", func() error { _, err := svc.UpdateUser(ctx, service.Session{}, 8, contract.UserUpdate{}); return err }, contract.CodeUnauthorized},
	}
	for _, tc := range cases {
		if got := service.CodeOf(tc.call()); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if f.updated != 0 || f.deleted != 0 || len(f.created) != 0 {
		t.Errorf("refused calls reached the store: %d updates, %d deletes, %d creates", f.updated, f.deleted, len(f.created))
	}
	if _, err := svc.UpdateRoom(ctx, 7, 1, contract.RoomUpdate{Name: &name}); err != nil || f.updated != 1 {
		t.Errorf("host update: %v", err)
	}
	if err := svc.DeleteMessage(ctx, 8, 1); err != nil || f.deleted != 1 {
		t.Errorf("author delete: %v", err)
	}
}

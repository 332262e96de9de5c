package app

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"
)

func TestSealerRotationOpensCookiesOfThePreviousSecret(t *testing.T) {
	old, err := newSealer([]byte("old secret"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := old.seal(sessionCookie, session{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := newSealer([]byte("new secret"), []byte("old secret"))
	if err != nil {
		t.Fatal(err)
	}
	var got session
	if err := rotated.open(sessionCookie, v, &got); err != nil || got.Token != "tok" {
		t.Fatalf("during the rotation, a cookie of the old secret = %+v, %v; want it to open", got, err)
	}
	// What the rotated sealer writes is sealed with the new secret only.
	fresh, err := rotated.seal(sessionCookie, session{Token: "new"})
	if err != nil {
		t.Fatal(err)
	}
	if err := old.open(sessionCookie, fresh, &got); err == nil {
		t.Error("a cookie sealed during the rotation opened with the old secret alone")
	}
	// After the rotation, the old secret's cookies are refused.
	after, _ := newSealer([]byte("new secret"))
	if err := after.open(sessionCookie, v, &got); err == nil {
		t.Error("a cookie of the removed secret still opened")
	}
	if err := after.open(sessionCookie, fresh, &got); err != nil || got.Token != "new" {
		t.Errorf("a cookie of the new secret = %+v, %v", got, err)
	}
}

func TestSealerRefusesCookiesOutsideTheirLifetime(t *testing.T) {
	s, _ := newSealer([]byte("secret"))
	sealedAt := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return sealedAt }
	v, err := s.seal(flashCookie, []flash{{Kind: "success", Text: "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	var out []flash
	for _, tc := range []struct {
		name  string
		at    time.Time
		opens bool
	}{
		{"at once", sealedAt, true},
		{"at the end of its lifetime", sealedAt.Add(flashLifetime), true},
		{"a second after", sealedAt.Add(flashLifetime + time.Second), false},
		{"a day after", sealedAt.Add(24 * time.Hour), false},
		{"issued well in the future (a clock or a forgery)", sealedAt.Add(-time.Hour), false},
	} {
		s.now = func() time.Time { return tc.at }
		if err := s.open(flashCookie, v, &out); (err == nil) != tc.opens {
			t.Errorf("%s: open = %v, want opens %v", tc.name, err, tc.opens)
		}
	}
}

func TestSealerBindsTheCookieName(t *testing.T) {
	s, _ := newSealer([]byte("secret"))
	v, err := s.seal(flashCookie, []flash{{Kind: "success", Text: "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	var out []flash
	if err := s.open(flashCookie, v, &out); err != nil {
		t.Fatalf("as %s: %v", flashCookie, err)
	}
	for _, name := range []string{draftCookie, sessionCookie, "coolroom_other"} {
		if err := s.open(name, v, &out); err == nil {
			t.Errorf("a value sealed for %s opened as %s", flashCookie, name)
		}
	}
}

// TestSealerRefusesTheOldFormat: cookies sealed before the issued-at and
// HKDF (no version byte, key = SHA-256 of the secret) do not open, so a
// user is logged out once by the change rather than misread.
func TestSealerRefusesTheOldFormat(t *testing.T) {
	secret := []byte("secret")
	key := sha256.Sum256(secret)
	block, _ := aes.NewCipher(key[:])
	aead, _ := cipher.NewGCM(block)
	plain, _ := json.Marshal(session{Token: "tok", Expires: time.Now().Add(time.Hour)})
	nonce := make([]byte, aead.NonceSize())
	old := base64.RawURLEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, []byte(sessionCookie)))

	s, _ := newSealer(secret)
	var got session
	if err := s.open(sessionCookie, old, &got); err == nil {
		t.Errorf("a session cookie of the old format opened: %+v", got)
	}
}

package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSecretsSurviveRestart: `up` run twice without secrets in the
// environment uses the same ones (so a reload keeps you logged in), kept
// private to the user; secrets given by the environment win and are never
// written.
func TestSecretsSurviveRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "coolroom")
	var first Config
	if err := first.KeepSecrets(dir); err != nil {
		t.Fatal(err)
	}
	if len(first.TokenSecret) < 32 || len(first.SessionSecret) < 32 || first.TokenSecret == first.SessionSecret {
		t.Fatalf("secrets %q / %q: want two distinct random ones", first.TokenSecret, first.SessionSecret)
	}
	var second Config
	if err := second.KeepSecrets(dir); err != nil {
		t.Fatal(err)
	}
	if second.TokenSecret != first.TokenSecret || second.SessionSecret != first.SessionSecret {
		t.Error("a second run got new secrets: every session would end on restart")
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("secrets dir mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
	for _, name := range []string{"token-secret", "session-secret"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v (%v), want 0600", name, fi.Mode().Perm(), err)
		}
	}

	given := Config{TokenSecret: "from-the-environment-0123456789"}
	other := filepath.Join(t.TempDir(), "coolroom")
	if err := given.KeepSecrets(other); err != nil {
		t.Fatal(err)
	}
	if given.TokenSecret != "from-the-environment-0123456789" {
		t.Errorf("given token secret replaced by %q", given.TokenSecret)
	}
	if _, err := os.Stat(filepath.Join(other, "token-secret")); !os.IsNotExist(err) {
		t.Errorf("a given secret was written to disk (%v)", err)
	}
}

// TestLooseSecretFileIsNarrowed: a secret file others can read is made 0600.
func TestLooseSecretFileIsNarrowed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session-secret")
	if err := os.WriteFile(path, []byte("0123456789abcdef0123456789abcdef"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, created, err := SecretFile(dir, "session-secret")
	if err != nil || created || v != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("SecretFile = %q, %v, %v; want the existing secret", v, created, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestNewSecretIsRandom(t *testing.T) {
	a, b := NewSecret(), NewSecret()
	if len(a) != 64 || a == b {
		t.Errorf("NewSecret gave %q and %q", a, b)
	}
}

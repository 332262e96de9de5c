package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsSurviveRestart: `up` run twice without secrets in the
// environment uses the same ones (so a reload keeps you logged in), kept
// private to the user; secrets given by the environment win and are never
// written.
func TestSecretsSurviveRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "coolroom")
	var first config
	if err := persistentSecrets(&first, dir); err != nil {
		t.Fatal(err)
	}
	if len(first.TokenSecret) < 32 || len(first.SessionSecret) < 32 || first.TokenSecret == first.SessionSecret {
		t.Fatalf("secrets %q / %q: want two distinct random ones", first.TokenSecret, first.SessionSecret)
	}
	var second config
	if err := persistentSecrets(&second, dir); err != nil {
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

	given := config{TokenSecret: "from-the-environment-0123456789"}
	other := filepath.Join(t.TempDir(), "coolroom")
	if err := persistentSecrets(&given, other); err != nil {
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
	v, created, err := ensureSecretFile(dir, "session-secret")
	if err != nil || created || v != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("ensureSecretFile = %q, %v, %v; want the existing secret", v, created, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
}

// TestUpOutsideCheckoutSaysWhatToRun: the error names the exact command.
func TestUpOutsideCheckoutSaysWhatToRun(t *testing.T) {
	_, err := checkoutRoot(t.TempDir())
	if err == nil {
		t.Fatal("a directory outside the checkout was accepted")
	}
	root, rerr := checkoutRoot(".")
	if rerr != nil {
		t.Fatal(rerr)
	}
	want := "cd " + root + " && go run ./cmd/coolroom up"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not give the command %q", err, want)
	}

	// Another Go module is not the checkout either.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.test/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkoutRoot(other); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("another module: %v; want the command %q", err, want)
	}
}

func TestUpEmptyFlagAndEnv(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		env   string
		empty bool
	}{
		{nil, "", false},
		{[]string{"--empty"}, "", true},
		{nil, "1", true},
		{[]string{"--empty=false"}, "1", false},
	} {
		f, err := parseUpFlags(tc.args, config{Empty: tc.env})
		if err != nil || f.empty != tc.empty {
			t.Errorf("up %v with COOLROOM_EMPTY=%q: empty=%v, %v; want %v", tc.args, tc.env, f.empty, err, tc.empty)
		}
	}
	if _, err := parseUpFlags([]string{"--bare"}, config{}); err == nil || !strings.Contains(err.Error(), "usage: coolroom up [--empty]") {
		t.Errorf("unknown flag: %v", err)
	}
}

package config

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// NewSecret returns 32 random bytes, hex-encoded: every secret the project
// generates (for a run, a deploy, a development checkout or a compose
// volume) comes from here.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b)
}

// SecretFiles are the secrets `coolroom secrets DIR` creates; compose's
// COOLROOM_TOKEN_SECRET_FILE and COOLROOM_SESSION_SECRET_FILE point at them.
var SecretFiles = []string{"token", "session"}

// DevSecretsDir is where `coolroom up` keeps the token and session secrets
// it generated, so a restarted `up` accepts the cookies and tokens of the
// previous run: a reload after a restart keeps you logged in.
func DevSecretsDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config dir for the development secrets (or set COOLROOM_TOKEN_SECRET and COOLROOM_SESSION_SECRET): %w", err)
	}
	return filepath.Join(base, "coolroom"), nil
}

// KeepSecrets fills the token and session secrets that the environment
// did not give from files in dir (created 0700), generating each file
// (0600) on first use. Given secrets are never written.
func (c *Config) KeepSecrets(dir string) error {
	for _, s := range []struct {
		value *string
		file  string
	}{{&c.TokenSecret, "token-secret"}, {&c.SessionSecret, "session-secret"}} {
		if *s.value != "" {
			continue
		}
		v, _, err := SecretFile(dir, s.file)
		if err != nil {
			return err
		}
		*s.value = v
	}
	return nil
}

// SecretFile returns the secret stored in dir/name, creating the directory
// (0700) and a NewSecret (0600) when missing. A file others could read is
// narrowed to 0600 first. created reports a new file.
func SecretFile(dir, name string) (secret string, created bool, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", false, err
	}
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil {
		if v := strings.TrimSpace(string(b)); len(v) >= 16 {
			if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
				if err := os.Chmod(path, 0o600); err != nil {
					return "", false, err
				}
			}
			return v, false, nil
		}
	} else if !os.IsNotExist(err) {
		return "", false, err
	}
	v := NewSecret()
	// Write then rename, so a reader never sees half a secret.
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return "", false, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", false, err
	}
	if _, err := tmp.WriteString(v); err != nil {
		tmp.Close()
		return "", false, err
	}
	if err := tmp.Close(); err != nil {
		return "", false, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", false, err
	}
	return v, true, nil
}

package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// secretFiles are the development secrets `coolroom secrets DIR` creates;
// the *_FILE variables point at them (the Docker convention for secrets).
var secretFiles = []string{"token", "session"}

// runSecrets writes a random secret per file into dir unless the file
// already exists, so containers of one demo share secrets that were never
// committed anywhere.
func runSecrets(args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: coolroom secrets DIR")
	}
	dir := args[0]
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, name := range secretFiles {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(hex.EncodeToString(b)), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(out, "created %s\n", path)
	}
	return nil
}

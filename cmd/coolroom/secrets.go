package main

import (
	"errors"
	"fmt"
	"io"
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
	for _, name := range secretFiles {
		_, created, err := ensureSecretFile(dir, name)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(out, "created %s\n", filepath.Join(dir, name))
		}
	}
	return nil
}

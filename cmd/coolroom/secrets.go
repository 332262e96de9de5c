package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/coolroom/testbed/internal/config"
)

// runSecrets writes a random secret per file into dir unless the file
// already exists, so containers of one demo share secrets that were never
// committed anywhere.
func runSecrets(args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: coolroom secrets DIR")
	}
	dir := args[0]
	for _, name := range config.SecretFiles {
		_, created, err := config.SecretFile(dir, name)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(out, "created %s\n", filepath.Join(dir, name))
		}
	}
	return nil
}

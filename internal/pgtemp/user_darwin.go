package pgtemp

import (
	"errors"
	"os"
)

// initdbLocale: macOS has no C.UTF-8; en_US.UTF-8 is always installed.
const initdbLocale = "en_US.UTF-8"

// runAs returns nil: on macOS PostgreSQL runs as the current user, as
// Homebrew and Postgres.app run it. Root (sudo) is refused up front with the
// fix, rather than by postgres later.
func runAs() (*osUser, error) {
	if os.Geteuid() == 0 {
		return nil, errors.New("pgtemp: PostgreSQL does not run as root; run coolroom as your own user, without sudo")
	}
	return nil, nil
}

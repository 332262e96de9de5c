package pgtemp

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
)

// initdbLocale is glibc's built-in UTF-8 locale, present on every Linux.
const initdbLocale = "C.UTF-8"

// runAs returns the user to run PostgreSQL as: the current user, or for
// root the `postgres` system user the Debian package creates (PostgreSQL
// refuses to run as root).
func runAs() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtemp: running as root needs the 'postgres' system user to start PostgreSQL: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &osUser{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

package pgtemp

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned (wrapped, with what to install on this system)
// when no PostgreSQL server binaries are found.
var ErrNoBinaries = errors.New("pgtemp: PostgreSQL server binaries (initdb, postgres) not found")

// binDirGlobs are where PostgreSQL installs its server binaries, beyond the
// PATH and `pg_config --bindir`. Within a pattern the newest version wins.
var binDirGlobs = []string{
	"/opt/homebrew/opt/postgresql@*/bin",                 // Homebrew, Apple silicon
	"/usr/local/opt/postgresql@*/bin",                    // Homebrew, Intel
	"/Applications/Postgres.app/Contents/Versions/*/bin", // Postgres.app
	"/usr/lib/postgresql/*/bin",                          // Debian, Ubuntu
}

// finder looks for the binaries; its fields are the outside world, so tests
// can give it fake directories.
type finder struct {
	// root prefixes every glob ("" is the real file system).
	root     string
	lookPath func(string) (string, error)
	// pgConfigBindir runs `pg_config --bindir`.
	pgConfigBindir func() (string, error)
	goos           string
}

// FindBinDir returns the directory holding initdb and postgres: the PATH
// first, then `pg_config --bindir`, then the newest Homebrew
// (/opt/homebrew, /usr/local), Postgres.app and Debian installation. The
// error says what to install on this system.
func FindBinDir() (string, error) {
	return finder{lookPath: exec.LookPath, pgConfigBindir: pgConfigBindir, goos: runtime.GOOS}.find()
}

func pgConfigBindir() (string, error) {
	out, err := exec.Command("pg_config", "--bindir").Output()
	return strings.TrimSpace(string(out)), err
}

func (f finder) find() (string, error) {
	if p, err := f.lookPath("initdb"); err == nil {
		if _, err := f.lookPath("postgres"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	// pg_config may be on the PATH without the server (a client-only
	// package, or Homebrew's keg-only formula linked only in part).
	if d, err := f.pgConfigBindir(); err == nil && d != "" && hasServer(d) {
		return d, nil
	}
	for _, pattern := range binDirGlobs {
		dirs, _ := filepath.Glob(f.root + pattern)
		sort.SliceStable(dirs, func(i, j int) bool { return newer(versionOf(dirs[i]), versionOf(dirs[j])) })
		for _, d := range dirs {
			if hasServer(d) {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("%w; %s", ErrNoBinaries, installHint(f.goos))
}

// installHint says exactly what to install on goos.
func installHint(goos string) string {
	switch goos {
	case "darwin":
		return "install them with `brew install postgresql@16` (found in /opt/homebrew/opt or /usr/local/opt, no PATH change needed) or Postgres.app, or set DATABASE_URL"
	case "linux":
		return "install them (Debian, Ubuntu: `apt-get install -y postgresql`; Fedora: `dnf install -y postgresql-server`), or set DATABASE_URL"
	}
	return "run coolroom under Linux or macOS (on Windows, in WSL2), or set DATABASE_URL"
}

func hasServer(dir string) bool {
	return isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres"))
}

// versionOf reads the version from a bin dir's parent: "16" from
// /usr/lib/postgresql/16/bin, "16" from …/opt/postgresql@16/bin, "14.5"
// from Postgres.app's Versions/14.5/bin. Postgres.app's "latest" link sorts
// above every number.
func versionOf(binDir string) []int {
	name := filepath.Base(filepath.Dir(binDir))
	if name == "latest" {
		return []int{1 << 30}
	}
	if i := strings.LastIndexByte(name, '@'); i >= 0 {
		name = name[i+1:]
	}
	var v []int
	for _, part := range strings.Split(name, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			break
		}
		v = append(v, n)
	}
	return v
}

// newer compares versions part by part; a missing part counts as older.
func newer(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return len(a) > len(b)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

package pgtemp

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeInstall makes dir/initdb and dir/postgres (executable unless told
// otherwise) under root.
func fakeInstall(t *testing.T, root, dir string, mode os.FileMode) string {
	t.Helper()
	full := filepath.Join(root, dir)
	if err := os.MkdirAll(full, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"initdb", "postgres"} {
		if err := os.WriteFile(filepath.Join(full, name), []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	return full
}

func notFound(string) (string, error) { return "", exec.ErrNotFound }

func noPgConfig() (string, error) { return "", exec.ErrNotFound }

func TestFindBinDirPrefersNewestOfEachKind(t *testing.T) {
	cases := []struct {
		name     string
		installs []string
		want     string
	}{
		{"Homebrew on Apple silicon, newest version", []string{
			"/opt/homebrew/opt/postgresql@14/bin", "/opt/homebrew/opt/postgresql@16/bin", "/opt/homebrew/opt/postgresql@9/bin",
		}, "/opt/homebrew/opt/postgresql@16/bin"},
		{"Homebrew on Intel", []string{"/usr/local/opt/postgresql@15/bin"}, "/usr/local/opt/postgresql@15/bin"},
		{"Apple silicon Homebrew before an old Intel one", []string{
			"/usr/local/opt/postgresql@17/bin", "/opt/homebrew/opt/postgresql@15/bin",
		}, "/opt/homebrew/opt/postgresql@15/bin"},
		{"Postgres.app, latest link first", []string{
			"/Applications/Postgres.app/Contents/Versions/16/bin", "/Applications/Postgres.app/Contents/Versions/latest/bin",
		}, "/Applications/Postgres.app/Contents/Versions/latest/bin"},
		{"Postgres.app, dotted versions", []string{
			"/Applications/Postgres.app/Contents/Versions/9.6/bin", "/Applications/Postgres.app/Contents/Versions/14/bin",
		}, "/Applications/Postgres.app/Contents/Versions/14/bin"},
		{"Debian, 15 before 9", []string{"/usr/lib/postgresql/9/bin", "/usr/lib/postgresql/15/bin"}, "/usr/lib/postgresql/15/bin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range tc.installs {
				fakeInstall(t, root, d, 0o755)
			}
			got, err := finder{root: root, lookPath: notFound, pgConfigBindir: noPgConfig, goos: "darwin"}.find()
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(root, tc.want); got != want {
				t.Fatalf("found %s, want %s", got, want)
			}
		})
	}
}

func TestFindBinDirSkipsIncompleteInstalls(t *testing.T) {
	root := t.TempDir()
	fakeInstall(t, root, "/opt/homebrew/opt/postgresql@17/bin", 0o644) // not executable
	if err := os.MkdirAll(filepath.Join(root, "/opt/homebrew/opt/postgresql@18/bin"), 0o755); err != nil {
		t.Fatal(err) // empty: a client-only keg
	}
	want := fakeInstall(t, root, "/opt/homebrew/opt/postgresql@16/bin", 0o755)
	got, err := finder{root: root, lookPath: notFound, pgConfigBindir: noPgConfig, goos: "darwin"}.find()
	if err != nil || got != want {
		t.Fatalf("found %q (%v), want %s", got, err, want)
	}
}

func TestFindBinDirPathThenPgConfig(t *testing.T) {
	root := t.TempDir()
	fakeInstall(t, root, "/opt/homebrew/opt/postgresql@16/bin", 0o755)
	onPath := fakeInstall(t, root, "/somewhere/bin", 0o755)
	fromPgConfig := fakeInstall(t, root, "/pgconfig/bin", 0o755)
	lookPath := func(name string) (string, error) { return filepath.Join(onPath, name), nil }
	pgConfig := func() (string, error) { return fromPgConfig, nil }

	got, _ := finder{root: root, lookPath: lookPath, pgConfigBindir: pgConfig, goos: "darwin"}.find()
	if got != onPath {
		t.Errorf("with initdb and postgres on the PATH, found %s, want %s", got, onPath)
	}
	got, _ = finder{root: root, lookPath: notFound, pgConfigBindir: pgConfig, goos: "darwin"}.find()
	if got != fromPgConfig {
		t.Errorf("with pg_config --bindir, found %s, want %s", got, fromPgConfig)
	}
	clientOnly := func() (string, error) { return filepath.Join(root, "/opt/homebrew/bin"), nil }
	got, _ = finder{root: root, lookPath: notFound, pgConfigBindir: clientOnly, goos: "darwin"}.find()
	if want := filepath.Join(root, "/opt/homebrew/opt/postgresql@16/bin"); got != want {
		t.Errorf("pg_config pointing at a dir without the server: found %s, want Homebrew's %s", got, want)
	}
}

func TestFindBinDirSaysWhatToInstall(t *testing.T) {
	for goos, want := range map[string]string{
		"darwin":  "brew install postgresql@16",
		"linux":   "apt-get install -y postgresql",
		"windows": "WSL2",
	} {
		_, err := finder{root: t.TempDir(), lookPath: notFound, pgConfigBindir: noPgConfig, goos: goos}.find()
		if !errors.Is(err, ErrNoBinaries) {
			t.Fatalf("%s: err = %v, want ErrNoBinaries", goos, err)
		}
		if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "DATABASE_URL") {
			t.Errorf("%s: %q does not say %q and DATABASE_URL", goos, err, want)
		}
	}
}

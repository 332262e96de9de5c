package pgtemp

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

func needBinaries(t *testing.T) {
	t.Helper()
	if _, err := FindBinDir(); errors.Is(err, ErrNoBinaries) {
		t.Skip(err)
	}
}

// startIn starts a cluster caching its template in cacheDir and checks it
// answers a write and a read. Start's log goes to log, if not nil.
func startIn(t *testing.T, cacheDir string, log io.Writer) *Cluster {
	t.Helper()
	ctx := context.Background()
	opts := Options{CacheDir: cacheDir, Database: "tmpl"}
	if log != nil {
		opts.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	c, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var got string
	if _, err := conn.Exec(ctx, "CREATE TABLE t (s text); INSERT INTO t VALUES ('kept')"); err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, "SELECT s FROM t").Scan(&got); err != nil || got != "kept" {
		t.Fatalf("write and read back on the cluster: %q, %v", got, err)
	}
	return c
}

// templates lists the finished templates in cacheDir and fails on any
// unfinished build left behind.
func templates(t *testing.T, cacheDir string) []string {
	t.Helper()
	all, _ := filepath.Glob(filepath.Join(cacheDir, "pgtemplate-*"))
	var done []string
	for _, dir := range all {
		if strings.Contains(filepath.Base(dir), ".tmp-") {
			t.Errorf("unfinished template build left behind: %s", dir)
			continue
		}
		if strings.HasSuffix(dir, ".spare") {
			continue
		}
		done = append(done, dir)
	}
	return done
}

// Two first runs at once both work and leave one template; the next Start
// copies it instead of running initdb, and its data dir belongs to the
// user PostgreSQL runs as, readable by nobody else.
func TestSecondStartCopiesTheCachedTemplate(t *testing.T) {
	t.Parallel()
	needBinaries(t)
	cacheDir := t.TempDir()
	var wg sync.WaitGroup
	firsts := make([]*Cluster, 2)
	for i := range firsts {
		wg.Go(func() { firsts[i] = startIn(t, cacheDir, nil) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, c := range firsts {
		if c.FromTemplate() {
			t.Errorf("a first run (empty cache) says it copied a template")
		}
	}
	if got := templates(t, cacheDir); len(got) != 1 {
		t.Fatalf("templates after two first runs: %v, want one", got)
	}

	c := startIn(t, cacheDir, nil)
	if !c.FromTemplate() {
		t.Fatal("the second Start ran initdb instead of copying the cached template")
	}
	fi, err := os.Stat(filepath.Join(c.Dir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("data dir mode %v, want 0700", perm)
	}
	if _, err := os.Stat(filepath.Join(c.Dir(), "data", templateMarker)); !os.IsNotExist(err) {
		t.Errorf("the template's marker was copied into the cluster (err=%v)", err)
	}
	// template0's files are shared with the template (readOnlyDir): the
	// server must be able to read them.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE fresh TEMPLATE template0"); err != nil {
		t.Errorf("CREATE DATABASE from template0 on a cluster copied from the template: %v", err)
	}
}

// A template that is broken — a file missing, or PostgreSQL's control file
// overwritten so the server will not start — is discarded: Start runs
// initdb, the cluster works, and the next Start has a good template again.
func TestBrokenTemplateFallsBackToInitdb(t *testing.T) {
	t.Parallel()
	needBinaries(t)
	good := t.TempDir()
	startIn(t, good, nil)
	tmpls := templates(t, good)
	if len(tmpls) != 1 {
		t.Fatalf("templates: %v, want one", tmpls)
	}
	breakages := map[string]struct {
		breakIt func(dir string) error
		logged  string // what Start says it did about it
	}{
		"control file missing": {func(dir string) error {
			return os.Remove(filepath.Join(dir, "global", "pg_control"))
		}, "discarding a broken PostgreSQL data dir template"},
		"control file garbage": {func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "global", "pg_control"), []byte(strings.Repeat("garbage ", 1024)), 0o600)
		}, "PostgreSQL did not start from the cached data dir; discarding it and running initdb"},
	}
	for name, tc := range breakages {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cacheDir := t.TempDir()
			broken := filepath.Join(cacheDir, filepath.Base(tmpls[0]))
			owner, err := runAs()
			if err != nil {
				t.Fatal(err)
			}
			if err := copyTree(tmpls[0], broken, owner, ""); err != nil {
				t.Fatal(err)
			}
			marker, err := os.ReadFile(filepath.Join(tmpls[0], templateMarker)) // copyTree leaves it out
			if err == nil {
				err = os.WriteFile(filepath.Join(broken, templateMarker), marker, 0o600)
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.breakIt(broken); err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer // written only inside Start
			if c := startIn(t, cacheDir, &log); c.FromTemplate() {
				t.Fatal("Start used the broken template")
			}
			if !strings.Contains(log.String(), tc.logged) {
				t.Errorf("Start's log does not say %q:\n%s", tc.logged, log.String())
			}
			if c := startIn(t, cacheDir, nil); !c.FromTemplate() {
				t.Error("the Start after the fallback found no good template")
			}
			templates(t, cacheDir)
		})
	}
}

// A different PostgreSQL build or initdb option gets its own template.
func TestTemplateKeyFollowsBinariesAndOptions(t *testing.T) {
	bin := fakeInstall(t, t.TempDir(), "bin", 0o755)
	args := []string{"-U", "coolroom", "--locale=C.UTF-8"}
	k1, err := templateKey(bin, args)
	if err != nil {
		t.Fatal(err)
	}
	if k2, _ := templateKey(bin, []string{"-U", "coolroom", "--locale=en_US.UTF-8"}); k2 == k1 {
		t.Error("another locale gives the same template key")
	}
	if err := os.WriteFile(filepath.Join(bin, "postgres"), []byte("#!/bin/sh\n# upgraded\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if k3, _ := templateKey(bin, args); k3 == k1 {
		t.Error("an upgraded postgres binary gives the same template key")
	}
}

// TestSpareIsTakenByTheNextStart: after PrepareSpare the next Start takes
// the ready copy with one rename (a working cluster, and the spare is gone),
// and the Start after that, with no spare left, copies the template again.
func TestSpareIsTakenByTheNextStart(t *testing.T) {
	t.Parallel()
	needBinaries(t)
	cache := t.TempDir()
	first := startIn(t, cache, nil)
	if first.FromSpare() {
		t.Fatal("a first run took a spare")
	}
	if err := first.PrepareSpare(); err != nil {
		t.Fatal(err)
	}
	tmpls := templates(t, cache)
	if len(tmpls) != 1 || !dirExists(sparePath(tmpls[0])) {
		t.Fatalf("templates %v, no spare beside them after PrepareSpare", tmpls)
	}
	if err := first.PrepareSpare(); err != nil { // a spare is there: nothing to do
		t.Fatal(err)
	}
	var log strings.Builder
	second := startIn(t, cache, &log) // checks a write and a read
	if !second.FromSpare() || !second.FromTemplate() {
		t.Fatalf("second start: from spare %v, from template %v; log:\n%s", second.FromSpare(), second.FromTemplate(), log.String())
	}
	if dirExists(sparePath(tmpls[0])) {
		t.Error("the spare is still there after a Start took it")
	}
	if !strings.Contains(log.String(), "taken from the spare copy") {
		t.Errorf("Start's log does not say it took the spare:\n%s", log.String())
	}
	third := startIn(t, cache, nil)
	if third.FromSpare() || !third.FromTemplate() {
		t.Errorf("third start: from spare %v, from template %v; want a copy of the template", third.FromSpare(), third.FromTemplate())
	}
}

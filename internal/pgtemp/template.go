package pgtemp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// initdb takes over a second even with --no-sync, most of the time a warm
// `coolroom up` waits for. Its output depends only on the PostgreSQL build
// and the initdb options, so the first Start keeps a pristine copy of it (the
// template) in the user's cache dir and later Starts copy that instead.

// templateMarker is written last into a complete template; a directory
// without it (a copy cut short) is never used.
const templateMarker = ".coolroom-template"

// copyWorkers is how many files copyTree copies at once.
const copyWorkers = 4

// staleStaging is how old an unfinished template build must be before
// another Start removes it (its builder was killed).
const staleStaging = 10 * time.Minute

// templateKey names the template for this PostgreSQL build and these initdb
// options: a different binary (an upgrade) or option gets its own template.
func templateKey(binDir string, initdbArgs []string) (string, error) {
	h := sha256.New()
	abs, err := filepath.Abs(binDir)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h, "bin %s\n", abs)
	for _, name := range []string{"initdb", "postgres"} {
		path, err := filepath.EvalSymlinks(filepath.Join(abs, name))
		if err != nil {
			return "", err
		}
		fi, err := os.Stat(path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %s %d %d\n", name, path, fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprintf(h, "args %q\n", initdbArgs)
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// templatePath is where the template for key lives under cacheDir.
func templatePath(cacheDir, key string) string {
	return filepath.Join(cacheDir, "pgtemplate-"+key)
}

// templateUsable reports whether dir is a complete template for key: its
// marker names the key and the files PostgreSQL cannot start without are
// there.
func templateUsable(dir, key string) error {
	marker, err := os.ReadFile(filepath.Join(dir, templateMarker))
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(marker)) != key {
		return fmt.Errorf("marker %q, want %q", strings.TrimSpace(string(marker)), key)
	}
	for _, name := range []string{"PG_VERSION", "global/pg_control", "postgresql.conf", "pg_hba.conf", "base"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// saveTemplate copies a data dir fresh from initdb (not yet started) into
// the cache as the template for key, owned by the user PostgreSQL runs as
// (clusters hard-link some of its files, see readOnlyDir). It builds in a staging dir and renames
// it into place, so a concurrent Start sees the whole template or none; if
// another process got there first, its template stays.
func saveTemplate(dataDir, cacheDir, key string, owner *osUser) error {
	if err := os.MkdirAll(cacheDir, 0o700); err != nil {
		return err
	}
	removeStaleStaging(cacheDir)
	staging, err := os.MkdirTemp(cacheDir, "pgtemplate-"+key+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // a no-op once renamed
	if err := copyTree(dataDir, staging, owner, ""); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(staging, templateMarker), []byte(key+"\n"), 0o600); err != nil {
		return err
	}
	err = os.Rename(staging, templatePath(cacheDir, key))
	if err != nil && templateUsable(templatePath(cacheDir, key), key) == nil {
		return nil // another Start saved it meanwhile
	}
	return err
}

// sparePath is where a ready copy of the template for key waits for the
// next Start (see Cluster.PrepareSpare).
func sparePath(tmpl string) string { return tmpl + ".spare" }

// takeSpare moves the spare copy of tmpl to dataDir and reports whether it
// did: one rename, where copying the template's thousand-odd files costs
// about a second of system time on a small VM. Two Starts at once cannot
// both take it; the loser copies. A spare on another file system than
// dataDir is left where it is.
func takeSpare(tmpl, dataDir string) bool {
	return os.Rename(sparePath(tmpl), dataDir) == nil
}

// makeSpare copies tmpl into the cache as its spare, building in a staging
// dir and renaming it into place, so a Start sees a whole spare or none. If
// a spare is there already, nothing is copied.
func makeSpare(tmpl string, owner *osUser) error {
	if dirExists(sparePath(tmpl)) {
		return nil
	}
	// A spare build cut short by a killed `up` is removed here too, not
	// only when a first run saves a template.
	removeStaleStaging(filepath.Dir(tmpl))
	staging, err := os.MkdirTemp(filepath.Dir(tmpl), filepath.Base(tmpl)+".tmp-spare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // a no-op once renamed
	// copyTree gives staging itself the template's mode and owner.
	if err := copyTree(tmpl, staging, owner, readOnlyDir(tmpl)); err != nil {
		return err
	}
	if err := os.Rename(staging, sparePath(tmpl)); err != nil && !dirExists(sparePath(tmpl)) {
		return err
	}
	return nil
}

// discardTemplate moves a broken template aside (one rename, so a
// concurrent Start copies either all of it or fails cleanly) and removes it.
func discardTemplate(dir string) error {
	trash, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-broken-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(trash)
	if err := os.Rename(dir, filepath.Join(trash, "t")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Its spare is a copy of the same broken files.
	if err := os.Rename(sparePath(dir), filepath.Join(trash, "s")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeStaleStaging removes unfinished template builds left by killed
// runs; a recent one may still be in progress.
func removeStaleStaging(cacheDir string) {
	leftovers, _ := filepath.Glob(filepath.Join(cacheDir, "pgtemplate-*.tmp-*"))
	for _, dir := range leftovers {
		if fi, err := os.Stat(dir); err == nil && time.Since(fi.ModTime()) > staleStaging {
			_ = os.RemoveAll(dir)
		}
	}
}

// readOnlyDir is the part of a template no server ever writes, so clusters
// may share its files (hard links) instead of copying them: template0's
// database dir. Nothing connects to template0 (datallowconn is false), so
// its pages are never dirtied; it is only read by CREATE DATABASE …
// TEMPLATE template0. PostgreSQL 15 gave it the fixed OID 4; before that
// its OID varied, and everything is copied.
func readOnlyDir(tmpl string) string {
	v, err := os.ReadFile(filepath.Join(tmpl, "PG_VERSION"))
	if major, _ := strconv.Atoi(strings.TrimSpace(string(v))); err != nil || major < 15 {
		return ""
	}
	return filepath.Join("base", "4")
}

// copyTree copies the directory src to dst (which may exist, empty),
// keeping each file's permission bits, skipping the template marker, and
// handing every copy to owner (nil: keep the current user) — PostgreSQL
// refuses a data dir it does not own or that others can read. Files under
// the relative dir shared ("" for none) are hard-linked when the file
// system allows it: a data dir holds about a thousand files and creating
// and filling them is most of the copy's time.
func copyTree(src, dst string, owner *osUser, shared string) error {
	// Files are copied by a few workers: each one costs a handful of
	// system calls that wait on the file system more than on the CPU.
	// Directories are made in the walk, before the files in them.
	var files errgroup.Group
	files.SetLimit(copyWorkers)
	walkErr := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if rel == templateMarker {
			return nil
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, info.Mode().Perm()); err != nil && !(rel == "." && errors.Is(err, fs.ErrExist)) {
				return err
			}
			if err := os.Chmod(target, info.Mode().Perm()); err != nil {
				return err
			}
			return chownTo(target, owner)
		case info.Mode().IsRegular():
			files.Go(func() error {
				if shared != "" && filepath.Dir(rel) == shared && os.Link(path, target) == nil {
					return nil // the template's file, owned by owner already
				}
				if err := copyFile(path, target, info.Mode().Perm()); err != nil {
					return err
				}
				return chownTo(target, owner)
			})
			return nil
		default:
			return fmt.Errorf("%s: not a regular file or directory", path)
		}
	})
	return errors.Join(walkErr, files.Wait())
}

// copyFile copies one file; io.Copy between two *os.File uses
// copy_file_range on Linux, so the bytes need not pass through this process.
func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

package deploy

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// zipRecipe names how BuildZip builds (flags, tags, zip layout); bump it
// when that changes so cached zips of the old recipe are not reused.
const zipRecipe = "bootstrap-zip/1 -tags lambda.norpc -trimpath -ldflags=-s -w CGO_ENABLED=0"

// ZipCache keeps the last Lambda zip built per package and platform in
// Dir, with the key of the inputs it was built from: the package's Go
// sources and embedded files (every file of each package directory in the
// module it depends on, tests excepted), go.mod, go.sum, GOOS/GOARCH, the
// go binary and the environment that changes a build. A zip whose key
// still matches is reused instead of running the Go toolchain.
type ZipCache struct {
	Dir string
}

// DefaultZipCache is the cache in the user's cache directory
// (os.UserCacheDir()/coolroom/lambda-zip); ok is false when there is none.
func DefaultZipCache() (c ZipCache, ok bool) {
	base, err := os.UserCacheDir()
	if err != nil {
		return ZipCache{}, false
	}
	return ZipCache{Dir: filepath.Join(base, "coolroom", "lambda-zip")}, true
}

// zipManifest is stored next to a cached zip.
type zipManifest struct {
	Key string `json:"key"`
	// Dirs are the module directories the key hashes, relative to the
	// source dir: the package directories and those of embedded files.
	Dirs []string `json:"dirs"`
}

// LambdaZip returns the data service's zip for goos/goarch, from the
// cache when its inputs have not changed. hit reports a reuse.
func (c ZipCache) LambdaZip(ctx context.Context, sourceDir, goos, goarch string) (zip []byte, hit bool, err error) {
	return c.Zip(ctx, sourceDir, LambdaPackage, goos, goarch)
}

// Zip is LambdaZip for any main package of the module.
func (c ZipCache) Zip(ctx context.Context, sourceDir, pkg, goos, goarch string) (zip []byte, hit bool, err error) {
	name := strings.NewReplacer("/", "_", ".", "").Replace(strings.Trim(pkg, "./")) + "-" + goos + "-" + goarch
	zipPath, manPath := filepath.Join(c.Dir, name+".zip"), filepath.Join(c.Dir, name+".json")
	if b, err := os.ReadFile(manPath); err == nil {
		var m zipManifest
		if json.Unmarshal(b, &m) == nil && len(m.Dirs) > 0 {
			if key, err := zipKey(sourceDir, m.Dirs, goos, goarch); err == nil && key == m.Key {
				if data, err := os.ReadFile(zipPath); err == nil {
					return data, true, nil
				}
			}
		}
	}
	// A miss: build, and learn the package's directories meanwhile.
	type listed struct {
		dirs []string
		err  error
	}
	lc := make(chan listed, 1)
	go func() {
		dirs, err := moduleDirs(ctx, sourceDir, pkg, goos, goarch)
		lc <- listed{dirs, err}
	}()
	data, err := BuildZip(ctx, sourceDir, pkg, goos, goarch)
	l := <-lc
	if err != nil {
		return nil, false, err
	}
	if l.err != nil {
		return data, false, nil // built; just not cacheable
	}
	key, err := zipKey(sourceDir, l.dirs, goos, goarch)
	if err != nil {
		return data, false, nil
	}
	m, _ := json.Marshal(zipManifest{Key: key, Dirs: l.dirs})
	if err := os.MkdirAll(c.Dir, 0o700); err == nil {
		// The zip first: a manifest never names a zip that is not there.
		if writeFileAtomic(zipPath, data) == nil {
			_ = writeFileAtomic(manPath, m)
		}
	}
	return data, false, nil
}

// moduleDirs lists the directories inside sourceDir of pkg's dependencies
// and of their embedded files, relative to sourceDir.
func moduleDirs(ctx context.Context, sourceDir, pkg, goos, goarch string) ([]string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-tags", "lambda.norpc",
		"-f", `{{if .Module}}{{if .Module.Main}}{{.Dir}}{{range .EmbedFiles}}{{"\t"}}{{.}}{{end}}{{end}}{{end}}`, pkg)
	cmd.Dir = sourceDir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps %s: %w", pkg, err)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "\t")
		if fields[0] == "" {
			continue
		}
		dir, err := filepath.Rel(sourceDir, fields[0])
		if err != nil || strings.HasPrefix(dir, "..") {
			continue
		}
		set[dir] = true
		for _, f := range fields[1:] {
			set[filepath.Dir(filepath.Join(dir, f))] = true
		}
	}
	dirs := make([]string, 0, len(set))
	for d := range set {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, nil
}

// zipKey hashes everything a build of the listed directories depends on.
func zipKey(sourceDir string, dirs []string, goos, goarch string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", zipRecipe, goos, goarch)
	for _, env := range []string{"GOFLAGS", "GOEXPERIMENT", "GOAMD64", "GOARM64", "GOTOOLCHAIN"} {
		fmt.Fprintf(h, "%s=%s\x00", env, os.Getenv(env))
	}
	// The toolchain: which go binary, and which build of it.
	if goBin, err := exec.LookPath("go"); err == nil {
		if fi, err := os.Stat(goBin); err == nil {
			fmt.Fprintf(h, "go=%s %d %d\x00", goBin, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := hashFile(h, sourceDir, f); err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(sourceDir, d))
		if err != nil {
			return "", err
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			if err := hashFile(h, sourceDir, filepath.Join(d, e.Name())); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h io.Writer, root, rel string) error {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(h, "file %s\x00", filepath.ToSlash(rel))
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return err
	}
	_, err = h.Write(sum.Sum(nil))
	return err
}

// writeFileAtomic writes through a temporary file and a rename, so a
// concurrent reader sees the old file or the new one, never half of one.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

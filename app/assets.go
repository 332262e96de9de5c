package app

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets maps each embedded static file to its content-hashed name
// ("style.css" → "style.1a2b3c4d5e.css"). A changed file gets a new name,
// so browsers and proxies may cache every static URL for a year.
var assets = mustHashAssets()

type assetManifest struct {
	hashed map[string]string // original name → hashed name
	orig   map[string]string // hashed name → original name
}

func mustHashAssets() *assetManifest {
	src, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	m, err := hashAssets(src)
	if err != nil {
		panic(err)
	}
	return m
}

// hashAssets names every file of a flat directory after its content.
func hashAssets(src fs.FS) (*assetManifest, error) {
	m := &assetManifest{hashed: map[string]string{}, orig: map[string]string{}}
	entries, err := fs.ReadDir(src, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() {
			// One flat directory keeps the hashed FS trivial; icons are inline SVG.
			return nil, fmt.Errorf("app: static/%s: subdirectories are not supported", e.Name())
		}
		data, err := fs.ReadFile(src, e.Name())
		if err != nil {
			return nil, err
		}
		h := HashedName(e.Name(), data)
		m.hashed[e.Name()] = h
		m.orig[h] = e.Name()
	}
	return m, nil
}

// HashedName inserts the first 10 hex digits of the SHA-256 of data before
// the extension of name.
func HashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

// assetURL is the URL of a static file by its source name; templates call
// it as {{asset "style.css"}}. An unknown name is a programming error
// caught when the templates first render in tests.
func assetURL(name string) (string, error) {
	h, ok := assets.hashed[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + h, nil
}

// StaticFiles are the CSS, script and images the deployer publishes to S3,
// under their content-hashed names; the app serves them back out of S3,
// never from this embedded copy.
func StaticFiles() fs.FS {
	src, _ := fs.Sub(staticFS, "static")
	return hashedFS{src: src, m: assets}
}

// hashedFS presents a flat directory under the hashed names.
type hashedFS struct {
	src fs.FS
	m   *assetManifest
}

func (h hashedFS) Open(name string) (fs.File, error) {
	if name == "." {
		return rootDir{}, nil
	}
	orig, ok := h.m.orig[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return h.src.Open(orig)
}

// ReadDir lists the hashed names, sorted as fs.ReadDir promises.
func (h hashedFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	names := make([]string, 0, len(h.m.orig))
	for n := range h.m.orig {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]fs.DirEntry, 0, len(names))
	for _, n := range names {
		info, err := fs.Stat(h.src, h.m.orig[n])
		if err != nil {
			return nil, err
		}
		out = append(out, fs.FileInfoToDirEntry(renamed{info, n}))
	}
	return out, nil
}

type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// rootDir is the hashed FS's only directory.
type rootDir struct{}

func (rootDir) Stat() (fs.FileInfo, error) { return rootDir{}, nil }
func (rootDir) Read([]byte) (int, error)   { return 0, fs.ErrInvalid }
func (rootDir) Close() error               { return nil }
func (rootDir) Name() string               { return "." }
func (rootDir) Size() int64                { return 0 }
func (rootDir) Mode() fs.FileMode          { return fs.ModeDir | 0o555 }
func (rootDir) ModTime() time.Time         { return time.Time{} }
func (rootDir) IsDir() bool                { return true }
func (rootDir) Sys() any                   { return nil }

package deploy_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/coolroom/testbed/deploy"
)

// TestZipCacheReusesUnchangedInputs builds a small module through the
// cache and changes one input at a time: a source or embedded file, or
// go.mod, must rebuild; a test file or a file outside the package
// must not.
func TestZipCacheReusesUnchangedInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go binaries")
	}
	src := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(src, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.test/zipcache\n\ngo 1.22\n")
	write("fn/main.go", "package main\n\nimport _ \"embed\"\n\n//go:embed data/greeting.txt\nvar greeting string\n\nfunc main() { println(greeting) }\n")
	write("fn/data/greeting.txt", "hello")
	write("other/readme.txt", "not part of the function")
	cache := deploy.ZipCache{Dir: t.TempDir()}
	ctx := context.Background()
	build := func(goarch string) ([]byte, bool) {
		t.Helper()
		zip, hit, err := cache.Zip(ctx, src, "./fn", "linux", goarch)
		if err != nil {
			t.Fatal(err)
		}
		return zip, hit
	}
	first, hit := build("amd64")
	if hit {
		t.Fatal("first build reported a cache hit")
	}
	again, hit := build("amd64")
	if !hit || !bytes.Equal(first, again) {
		t.Fatalf("unchanged inputs: hit=%v, same zip=%v; want a reuse of the same zip", hit, bytes.Equal(first, again))
	}
	write("fn/main_test.go", "package main\n")
	write("other/readme.txt", "changed, but not an input")
	if _, hit := build("amd64"); !hit {
		t.Error("a test file or an unrelated file changed and the zip was rebuilt")
	}
	write("fn/data/greeting.txt", "hello, class")
	changed, hit := build("amd64")
	if hit || bytes.Equal(changed, first) {
		t.Errorf("embedded file changed: hit=%v, same zip=%v; want a new build", hit, bytes.Equal(changed, first))
	}
	write("go.mod", "module example.test/zipcache\n\ngo 1.23\n")
	if _, hit := build("amd64"); hit {
		t.Error("go.mod changed and the zip was reused")
	}
}

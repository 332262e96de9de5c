package app

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestStaticFilesHaveContentHashedNames(t *testing.T) {
	src, _ := fs.Sub(staticFS, "static")
	hashed := regexp.MustCompile(`^[a-z0-9_-]+\.[0-9a-f]{10}\.[a-z]+$`)
	var names []string
	err := fs.WalkDir(StaticFiles(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		if !hashed.MatchString(p) {
			t.Errorf("published name %q is not content-hashed", p)
		}
		got, err := fs.ReadFile(StaticFiles(), p)
		if err != nil {
			return err
		}
		want, _ := fs.ReadFile(src, assets.orig[p])
		if string(got) != string(want) || HashedName(assets.orig[p], want) != p {
			t.Errorf("%s does not hold the content its name hashes", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"style.css", "app.js", "avatar.svg", "favicon.svg"} {
		u, err := assetURL(want)
		if err != nil || !strings.HasPrefix(u, "/static/"+strings.TrimSuffix(want, "."+strings.SplitN(want, ".", 2)[1])+".") {
			t.Errorf("assetURL(%q) = %q, %v", want, u, err)
		}
	}
	if len(names) != len(assets.orig) {
		t.Errorf("walked %d files, manifest has %d", len(names), len(assets.orig))
	}
	if _, err := assetURL("missing.css"); err == nil {
		t.Error("unknown asset gave a URL")
	}
}

func TestHashChangesWithContent(t *testing.T) {
	a := HashedName("style.css", []byte("a{}"))
	b := HashedName("style.css", []byte("b{}"))
	if a == b || !strings.HasPrefix(a, "style.") || !strings.HasSuffix(a, ".css") {
		t.Errorf("names %q %q", a, b)
	}
	if _, err := hashAssets(fstest.MapFS{"sub/x.css": {Data: []byte("x")}}); err == nil {
		t.Error("a subdirectory was accepted")
	}
}

func TestTemplatesParseAtStartup(t *testing.T) {
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pageNames {
		if p.byName[name].Lookup("content") == nil || p.byName[name].Lookup("message") == nil {
			t.Errorf("page %s lacks its content or the shared partials", name)
		}
	}
}

func TestPager(t *testing.T) {
	p := newPager("/", map[string][]string{"q": {"go"}}, 2, 20, 45)
	if p.Pages != 3 || p.PrevURL != "/?q=go" || p.NextURL != "/?page=3&q=go" {
		t.Errorf("pager = %+v", p)
	}
	p = newPagerParam("/profile/3", "rooms", map[string][]string{"messages": {"2"}}, 2, 20, 41)
	if p.Pages != 3 || p.PrevURL != "/profile/3?messages=2" || p.NextURL != "/profile/3?messages=2&rooms=3" {
		t.Errorf("profile rooms pager = %+v", p)
	}
	p = newPager("/activity", nil, 1, 20, 5)
	if p.Pages != 1 || p.PrevURL != "" || p.NextURL != "" {
		t.Errorf("single page pager = %+v", p)
	}
}

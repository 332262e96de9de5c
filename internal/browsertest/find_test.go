package browsertest

import (
	"os/exec"
	"strings"
	"testing"
)

func fakeFinder(goos string, files map[string]bool, onPath map[string]string, env string) browserFinder {
	return browserFinder{
		goos:   goos,
		home:   "/Users/ada",
		getenv: func(string) string { return env },
		lookPath: func(name string) (string, error) {
			if p, ok := onPath[name]; ok {
				return p, nil
			}
			return "", exec.ErrNotFound
		},
		isFile: func(p string) bool { return files[p] },
	}
}

func TestBrowserDiscovery(t *testing.T) {
	const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
	const chromium = "/Applications/Chromium.app/Contents/MacOS/Chromium"
	const userChromium = "/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium"
	cases := []struct {
		name   string
		goos   string
		files  map[string]bool
		onPath map[string]string
		env    string
		want   string
	}{
		{"Mac: Google Chrome first", "darwin", map[string]bool{chrome: true, chromium: true}, nil, "", chrome},
		{"Mac: Chromium", "darwin", map[string]bool{chromium: true}, nil, "", chromium},
		{"Mac: in ~/Applications", "darwin", map[string]bool{userChromium: true}, nil, "", userChromium},
		{"Mac: on the PATH", "darwin", nil, map[string]string{"chromium": "/opt/homebrew/bin/chromium"}, "", "/opt/homebrew/bin/chromium"},
		{"Mac: the variable wins", "darwin", map[string]bool{chrome: true}, nil, "/x/chrome", "/x/chrome"},
		{"Mac: none", "darwin", map[string]bool{"/usr/bin/chromium": true}, nil, "", ""},
		{"Debian", "linux", map[string]bool{"/usr/bin/chromium": true}, nil, "", "/usr/bin/chromium"},
		{"Ubuntu's google-chrome", "linux", nil, map[string]string{"google-chrome": "/usr/bin/google-chrome"}, "", "/usr/bin/google-chrome"},
		{"Linux ignores /Applications", "linux", map[string]bool{chrome: true}, nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := fakeFinder(tc.goos, tc.files, tc.onPath, tc.env).find(); got != tc.want {
				t.Errorf("found %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSkipReasonSaysWhatToInstall(t *testing.T) {
	if r := skipReason("darwin"); !strings.Contains(r, "/Applications") || !strings.Contains(r, "brew install --cask") {
		t.Errorf("darwin: %q", r)
	}
	if r := skipReason("linux"); !strings.Contains(r, "apt-get install -y chromium") {
		t.Errorf("linux: %q", r)
	}
}

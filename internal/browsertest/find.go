package browsertest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/coolroom/testbed/internal/config"
)

// SkipReason is what tests say when no browser is found: what to install
// on this system.
var SkipReason = skipReason(runtime.GOOS)

func skipReason(goos string) string {
	if goos == "darwin" {
		return "browser test needs Google Chrome or Chromium in /Applications (brew install --cask google-chrome, or brew install --cask chromium) or COOLROOM_CHROMIUM"
	}
	return "browser test needs Chromium at /usr/bin/chromium (apt-get install -y chromium) or COOLROOM_CHROMIUM"
}

// Path finds the browser: COOLROOM_CHROMIUM, then on a Mac Google Chrome
// or Chromium in /Applications or ~/Applications (where chromedp looks),
// elsewhere /usr/bin/chromium, then chromium, google-chrome or chrome on the
// PATH; empty when there is none.
func Path() string {
	home, _ := os.UserHomeDir()
	getenv := func(name string) string { v, _ := config.Get(os.LookupEnv, name); return v }
	return browserFinder{goos: runtime.GOOS, home: home, getenv: getenv, lookPath: exec.LookPath, isFile: isFile}.find()
}

// browserFinder's fields are the outside world, so tests can fake it.
type browserFinder struct {
	goos     string
	home     string
	getenv   func(string) string
	lookPath func(string) (string, error)
	isFile   func(string) bool
}

func (f browserFinder) find() string {
	if p := f.getenv("COOLROOM_CHROMIUM"); p != "" {
		return p
	}
	var fixed []string
	if f.goos == "darwin" {
		for _, apps := range []string{"/Applications", filepath.Join(f.home, "Applications")} {
			fixed = append(fixed,
				filepath.Join(apps, "Google Chrome.app/Contents/MacOS/Google Chrome"),
				filepath.Join(apps, "Chromium.app/Contents/MacOS/Chromium"))
		}
	} else {
		fixed = []string{"/usr/bin/chromium"}
	}
	for _, p := range fixed {
		if f.isFile(p) {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"} {
		if p, err := f.lookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

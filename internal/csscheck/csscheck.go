// Package csscheck finds CSS animations that never end. A page that keeps
// one running makes the browser draw every frame for as long as it is
// open: the console's pulsing "live" dot cost headless Chromium a quarter
// of a core, taken from the 2-core stack the console was watching, and a
// student's open room page would do the same to a laptop's battery.
//
// It reads declarations as text (a regular expression over the
// stylesheet); a CSS parser would do it more thoroughly, but the
// stylesheets here are ours and plain.
package csscheck

import (
	"io/fs"
	"regexp"
	"strings"
)

// endless matches an animation or animation-iteration-count declaration
// whose value says infinite.
var endless = regexp.MustCompile(`(?i)animation(-iteration-count)?\s*:[^;}]*\binfinite\b`)

// EndlessAnimations returns "file: declaration" for each declaration in
// the .css files of fsys that animates forever.
func EndlessAnimations(fsys fs.FS) ([]string, error) {
	var found []string
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".css") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		for _, m := range endless.FindAllString(string(b), -1) {
			found = append(found, path+": "+m)
		}
		return nil
	})
	return found, err
}

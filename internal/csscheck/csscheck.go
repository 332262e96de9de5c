// Package csscheck reads the CSS animations of our stylesheets, so tests
// can keep pages that stay open from animating all the time. An animation
// that never ends, or one restarted on live content every second, makes the
// browser draw every frame. The console's pulsing "live" dot cost headless
// Chromium a quarter of a core. During a load test, fading in each new trace
// brought the console to half a core, taken from the 2-core stack it was
// watching.
//
// It reads rules as text (a regular expression over the stylesheet); a CSS
// parser would do it more thoroughly, but the stylesheets here are ours
// and plain (no nested rules, no braces in strings).
package csscheck

import (
	"io/fs"
	"regexp"
	"strings"
)

// Animation is one animation or animation-iteration-count declaration.
type Animation struct {
	File     string // path in the file system read
	Selector string // the rule's selector, trimmed
	Value    string // the declaration's value, trimmed
}

// Endless reports whether the declaration animates forever.
func (a Animation) Endless() bool { return infinite.MatchString(a.Value) }

// rule matches a rule's selector and its body; comments are removed first.
var (
	infinite    = regexp.MustCompile(`(?i)\binfinite\b`)
	comment     = regexp.MustCompile(`(?s)/\*.*?\*/`)
	rule        = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`)
	declaration = regexp.MustCompile(`(?i)(?:^|;)\s*animation(?:-iteration-count)?\s*:([^;]*)`)
)

// Animations returns the animation declarations of the .css files of fsys,
// in file and rule order. Rules inside @keyframes blocks (which hold no
// such declarations) are skipped by the same match.
func Animations(fsys fs.FS) ([]Animation, error) {
	var found []Animation
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".css") {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		css := comment.ReplaceAllString(string(b), "")
		for _, r := range rule.FindAllStringSubmatch(css, -1) {
			for _, d := range declaration.FindAllStringSubmatch(r[2], -1) {
				found = append(found, Animation{File: path, Selector: strings.TrimSpace(r[1]), Value: strings.TrimSpace(d[1])})
			}
		}
		return nil
	})
	return found, err
}

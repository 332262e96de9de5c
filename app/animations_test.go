package app

import (
	"testing"

	"github.com/coolroom/testbed/internal/csscheck"
)

// TestNoEndlessAnimations: students keep a room page open for a whole
// class, so nothing in the app's stylesheets may animate forever (see
// package csscheck).
func TestNoEndlessAnimations(t *testing.T) {
	found, err := csscheck.Animations(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range found {
		if a.Endless() {
			t.Errorf("%s: %s animates forever: %s", a.File, a.Selector, a.Value)
		}
	}
}

package app

import (
	"testing"

	"github.com/coolroom/testbed/internal/csscheck"
)

// TestNoEndlessAnimations: students keep a room page open for a whole
// class, so nothing in the app's stylesheets may animate forever (see
// package csscheck).
func TestNoEndlessAnimations(t *testing.T) {
	found, err := csscheck.EndlessAnimations(staticFS)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("animates forever: %s", f)
	}
}

package console

import (
	"testing"

	"github.com/coolroom/testbed/internal/csscheck"
)

// TestNoEndlessAnimations: the console stays open for a whole class or a
// load test, so nothing on it may animate forever (see package csscheck:
// the pulsing live dot cost Chromium a quarter of a core).
func TestNoEndlessAnimations(t *testing.T) {
	found, err := csscheck.EndlessAnimations(assets)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		t.Errorf("animates forever: %s", f)
	}
}

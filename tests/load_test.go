package tests

import (
	"context"
	"strings"
	"testing"

	"github.com/coolroom/testbed/internal/load"
)

// TestLoadThroughTheStack runs a small `coolroom load` through the real
// stack: every action succeeds and every acknowledged post is there.
// (`coolroom load` runs the full 50 × 20; figures are in the README.)
func TestLoadThroughTheStack(t *testing.T) {
	st := sharedStack(t)
	rep, err := load.Run(context.Background(), load.Options{BaseURL: st.AppURL, Users: 8, Posts: 5})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.Print(&out)
	t.Log("\n" + out.String())
	if !rep.OK() {
		t.Errorf("load through the stack: %d errors, %d of %d acknowledged posts missing", rep.Errors, rep.Missing, rep.Acknowledged)
	}
}

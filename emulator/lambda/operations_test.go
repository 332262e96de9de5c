package lambda

import (
	"os"
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: emulator/README.md's Lambda table lists
// exactly the operations the service routes, each with the file of its
// handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed, err := optable.Listed(string(readme), "## Lambda")
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, op := range operations {
		routed[op.name] = true
		file, ok := listed[op.name]
		if !ok {
			t.Errorf("%s (%s) is not listed", op.name, op.pattern)
			continue
		}
		if got := optable.FileOf(op.handle); got != file {
			t.Errorf("%s is listed in %s but implemented in %s", op.name, file, got)
		}
	}
	for name := range listed {
		if !routed[name] {
			t.Errorf("the README lists %s, which the service does not route", name)
		}
	}
}

package lambda

import (
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: emulator/README.md's Lambda table lists
// exactly the operations the service routes, each with the file of its
// handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	ops := make([]optable.Op, 0, len(operations))
	for _, op := range operations {
		ops = append(ops, optable.Op{Name: op.name, Pattern: op.pattern, Handle: op.handle})
	}
	for _, problem := range optable.Check("../README.md", "## Lambda", ops) {
		t.Error(problem)
	}
}

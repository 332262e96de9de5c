package apigateway

import (
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: emulator/README.md's API Gateway tables
// list exactly the operations the service routes, each with the file of
// its handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	for section, table := range map[string][]operation{
		"## API Gateway v2 (HTTP APIs)":  httpAPIOperations,
		"## API Gateway v1 (REST proxy)": restAPIOperations,
	} {
		ops := make([]optable.Op, 0, len(table))
		for _, op := range table {
			ops = append(ops, optable.Op{Name: op.name, Pattern: op.pattern, Handle: op.handle})
		}
		for _, problem := range optable.Check("../README.md", section, ops) {
			t.Error(problem)
		}
	}
}

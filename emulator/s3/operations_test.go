package s3

import (
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: the operation table of emulator/s3/README.md
// lists exactly the operations dispatch serves, each with the file of its
// handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	served := map[string]operation{}
	for _, table := range [][]route{serviceRoutes, bucketRoutes, objectRoutes} {
		for _, rt := range table {
			if rt.handle != nil {
				served[optable.Name(rt.op)] = rt.handle
			}
		}
	}
	for op, h := range subresourceOperations {
		served[op] = h
	}
	ops := make([]optable.Op, 0, len(served))
	for op, h := range served {
		ops = append(ops, optable.Op{Name: op, Pattern: "in " + optable.FileOf(h), Handle: h})
	}
	for _, problem := range optable.Check("README.md", "## Operations", ops) {
		t.Error(problem)
	}
}

// TestRouteTablesEndWithACatchAll: dispatch relies on the last row of each
// table fitting every request the rows above leave (a 405 with Allow).
func TestRouteTablesEndWithACatchAll(t *testing.T) {
	for name, table := range map[string][]route{"service": serviceRoutes, "bucket": bucketRoutes, "object": objectRoutes} {
		last := table[len(table)-1]
		if last.method != "" || last.param != "" || last.copySource || last.subresources != nil || last.handle != nil || last.allow == "" {
			t.Errorf("the %s table ends with %+v, not a catch-all 405", name, last)
		}
	}
}

package s3

import (
	"os"
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: the operation table of emulator/s3/README.md
// lists exactly the operations dispatch serves, each with the file of its
// handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed, err := optable.Listed(string(readme), "## Operations")
	if err != nil {
		t.Fatal(err)
	}
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
	for op, h := range served {
		file, ok := listed[op]
		if !ok {
			t.Errorf("%s (in %s) is not listed", op, optable.FileOf(h))
			continue
		}
		if got := optable.FileOf(h); got != file {
			t.Errorf("%s is listed in %s but implemented in %s", op, file, got)
		}
		delete(listed, op)
	}
	for op := range listed {
		t.Errorf("README lists %s, which dispatch does not serve", op)
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

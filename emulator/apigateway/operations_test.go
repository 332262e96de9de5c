package apigateway

import (
	"os"
	"testing"

	"github.com/coolroom/testbed/emulator/internal/optable"
)

// TestREADMEListsEveryOperation: emulator/README.md's API Gateway tables
// list exactly the operations the service routes, each with the file of
// its handler, so a reader finds any operation's code from the README.
func TestREADMEListsEveryOperation(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for section, ops := range map[string][]operation{
		"## API Gateway v2 (HTTP APIs)":  httpAPIOperations,
		"## API Gateway v1 (REST proxy)": restAPIOperations,
	} {
		listed, err := optable.Listed(string(readme), section)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range ops {
			file, ok := listed[op.name]
			if !ok {
				t.Errorf("%s: %s (%s) is not listed", section, op.name, op.pattern)
				continue
			}
			if got := optable.FileOf(op.handle); got != file {
				t.Errorf("%s: %s is listed in %s but implemented in %s", section, op.name, file, got)
			}
			delete(listed, op.name)
		}
		for name := range listed {
			t.Errorf("%s lists %s, which the service does not route", section, name)
		}
	}
}

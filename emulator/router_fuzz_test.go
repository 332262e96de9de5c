package emulator

import (
	"strings"
	"testing"

	"github.com/coolroom/testbed/emulator/apigateway"
)

// FuzzExecuteAPIHost parses arbitrary Host headers: no panic, and an API
// id is only found in the execute-api host form.
func FuzzExecuteAPIHost(f *testing.F) {
	for _, h := range []string{"abc123.execute-api.localhost.localstack.cloud:4566", "localhost:4566", "x.execute-api.", "[::1]:4566",
		".execute-api.localhost", "a.b.execute-api.localhost.localstack.cloud", "bucket.s3.localhost.localstack.cloud"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, host string) {
		id := apigateway.APIOfHost(host)
		if id != "" && !strings.Contains(host, id+".execute-api.localhost") {
			t.Fatalf("id %q not in host %q", id, host)
		}
	})
}

package apigateway

import (
	"net"
	"strings"

	"github.com/coolroom/testbed/emulator/internal/vhost"
)

// The two URL forms of an API's invoke URL, as LocalStack serves them:
// the path form http://<emulator>/_aws/execute-api/<apiId>/<stage>/<path>
// and the host form http://<apiId>.execute-api.localhost.localstack.cloud:<port>/<stage>/<path>.
const (
	// ExecuteAPIPath is the path form's prefix.
	ExecuteAPIPath = "/_aws/execute-api/"
	executeAPIHost = ".execute-api.localhost.localstack.cloud"
)

// Endpoint is the host-form URL of API apiID (no trailing slash), on the
// port of host, the Host header the caller used (4566 when it names none).
// It is the apiEndpoint CreateApi reports.
func Endpoint(host, apiID string) string {
	port := "4566"
	if _, p, err := net.SplitHostPort(host); err == nil {
		port = p
	}
	return "http://" + apiID + executeAPIHost + ":" + port
}

// APIOfHost returns the API id a host-form Host header names
// (<apiId>.execute-api.localhost…[:port]), or "".
func APIOfHost(host string) string {
	id, rest, ok := vhost.ID(host, ".execute-api.")
	if !ok || !strings.HasPrefix(rest, "localhost") {
		return ""
	}
	return id
}

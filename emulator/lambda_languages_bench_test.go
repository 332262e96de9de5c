package emulator_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// BenchmarkWarmAPIGatewayToPython and BenchmarkWarmAPIGatewayToNode are
// BenchmarkWarmAPIGatewayToLambda's round trip (an HTTP request through an
// HTTP API, payload 2.0, to a warm instance and back) with the function
// on the python3.x and nodejs runtimes instead of a Go bootstrap.
func BenchmarkWarmAPIGatewayToPython(b *testing.B) {
	benchmarkWarmLanguage(b, "python3", types.RuntimePython312, "app.handler",
		map[string]string{"app.py": "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": event[\"rawPath\"]}\n"})
}

func BenchmarkWarmAPIGatewayToNode(b *testing.B) {
	benchmarkWarmLanguage(b, "node", types.RuntimeNodejs20x, "app.handler",
		map[string]string{"app.js": "exports.handler = async (event) => ({ statusCode: 200, body: event.rawPath });\n"})
}

func benchmarkWarmLanguage(b *testing.B, command string, runtime types.Runtime, handler string, files map[string]string) {
	needInterpreter(b, command)
	_, srv, cfg := startEmulator(b)
	createLanguageFunction(b, lambdaClient(srv, cfg), "bench", runtime, handler, 30, files)
	measure(b, quickAPI(b, srv.URL, cfg, "bench")+"/plain")
}

package emulator_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// BenchmarkRuntimeAPIFloor measures the Lambda Runtime API hop alone: the
// same test function's bootstrap (real aws-lambda-go) polling the smallest
// Runtime API server net/http can make, with no gateway, no emulator
// bookkeeping and no logging. An event is handed to the waiting /next poll
// and the clock stops when /response has been read.
//
// It is the floor under BenchmarkWarmAPIGatewayToLambda on the machine it
// runs on: whatever the emulator does, a warm API Gateway → Lambda round
// trip costs at least this much more than BenchmarkPlainHandler, which
// answers in-process.
func BenchmarkRuntimeAPIFloor(b *testing.B) {
	bootstrap := buildBinary(b, "./emulator/internal/testfn")

	type call struct {
		event []byte
		done  chan []byte
	}
	calls := make(chan *call)
	// inflight passes the call from /next to its /response handler.
	inflight := make(chan *call, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", func(w http.ResponseWriter, r *http.Request) {
		var c *call
		select {
		case c = <-calls:
		case <-r.Context().Done():
			return
		}
		inflight <- c
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", "floor")
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(time.Minute).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:floor")
		_, _ = w.Write(c.event)
	})
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		(<-inflight).done <- body
		w.WriteHeader(http.StatusAccepted)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(func() { _ = srv.Close() })

	fn := exec.Command(bootstrap)
	fn.Env = []string{"AWS_LAMBDA_RUNTIME_API=" + ln.Addr().String(), "AWS_LAMBDA_FUNCTION_NAME=floor"}
	if err := fn.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = fn.Process.Kill(); _ = fn.Wait() })

	// The event the gateway sends for GET /plain, so the function does
	// exactly the work it does in BenchmarkWarmAPIGatewayToLambda.
	event, err := json.Marshal(events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "$default", RawPath: "/plain",
		Headers: map[string]string{"accept-encoding": "gzip", "host": "127.0.0.1", "user-agent": "Go-http-client/1.1"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "floor", Stage: "$default",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: "/plain", Protocol: "HTTP/1.1", SourceIP: "127.0.0.1"},
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	invoke := func() {
		c := &call{event: event, done: make(chan []byte, 1)}
		select {
		case calls <- c:
		case <-time.After(10 * time.Second):
			b.Fatal("the bootstrap did not poll /next within 10 s")
		}
		// The handler's answer to /plain: anything else means the hop
		// measured was not a successful invocation.
		if out := <-c.done; string(out) != `{"hello":"world"}` {
			b.Fatalf("function answered %q, want {\"hello\":\"world\"}", out)
		}
	}
	measureLatency(b, invoke)
}

package emulator_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/httpserver"
	"github.com/coolroom/testbed/internal/httpserver/slowclient"
)

// TestEmulatorServerTimeouts runs the emulator's own server with short
// timeouts: a client that stalls in its body is cut off, while a Lambda
// invocation and the console's event stream, which legitimately run
// longer, opt out.
func TestEmulatorServerTimeouts(t *testing.T) {
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler),
		Timeouts: httpserver.Timeouts{Read: 300 * time.Millisecond, Write: 400 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = emu.Serve(ln) }()
	t.Cleanup(func() { _ = emu.Shutdown(context.Background()) })
	base := "http://" + ln.Addr().String()

	for _, path := range []string{"/some-bucket/some-key", "/2015-03-31/functions/f/invocations"} {
		t.Run("stalled body to "+path, func(t *testing.T) {
			closed, err := slowclient.StalledBody(ln.Addr().String(), path, 20*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if !closed {
				t.Error("a client that stalled after 7 of 100,000 bytes still holds the connection")
			}
		})
	}

	t.Run("an invocation longer than the write timeout", func(t *testing.T) {
		// Upload the function's zip (megabytes) through a server without
		// the short timeouts: on a loaded machine reading it can take
		// longer than 300 ms, and the SDK's retry of a cut-off upload then
		// meets its own first attempt (409). Only the invocation is timed.
		plain := httptest.NewServer(emu)
		defer plain.Close()
		createTestFunction(t, lambda.NewFromConfig(testConfig(), func(o *lambda.Options) { o.BaseEndpoint = aws.String(plain.URL) }), "slow", 10)
		c := lambda.NewFromConfig(testConfig(), func(o *lambda.Options) { o.BaseEndpoint = aws.String(base) })
		out := invoke(t, c, "slow", map[string]any{"action": "sleep", "seconds": 0.8})
		if out.fnError != "" {
			t.Errorf("0.8 s invocation with a 0.4 s write timeout: %v", out.payload)
		}
	})

	t.Run("the console's event stream outlives the write timeout", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/_console/events", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		time.Sleep(600 * time.Millisecond)
		// Any execute-api request is traced and announced.
		if r, err := http.Get(base + "/_aws/execute-api/nosuchapi/x"); err == nil {
			r.Body.Close()
		}
		got := ""
		buf := make([]byte, 4096)
		for !strings.Contains(got, "event: update") {
			n, err := resp.Body.Read(buf)
			if err != nil {
				t.Fatalf("the stream ended: %v (got %q)", err, got)
			}
			got += string(buf[:n])
		}
	})
}

package httpserver

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestRunStopsWhenAsked: Run serves until its context ends, lets the
// request in flight finish, and returns nil once the server is shut down.
func TestRunStopsWhenAsked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := New(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(200 * time.Millisecond)
		_, _ = w.Write([]byte("finished"))
	}), App)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, srv, ln) }()
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/")
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	<-started
	cancel()
	if code := <-answered; code != http.StatusOK {
		t.Errorf("the request in flight got %d, want 200 (a shutdown lets it finish)", code)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil after a shutdown", err)
		}
	case <-time.After(ShutdownTimeout + time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after Run returned")
	}
}

// TestRunReportsServeErrors: a listener that fails ends Run with its error.
func TestRunReportsServeErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	if err := Run(context.Background(), New(http.NotFoundHandler(), App), ln); err == nil {
		t.Error("Run on a closed listener returned nil")
	}
}

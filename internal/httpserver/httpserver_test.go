package httpserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/internal/httpserver/slowclient"
)

// serve runs New(h, t) on a loopback port until the test ends.
func serve(t *testing.T, h http.Handler, to Timeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := New(h, to)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

func TestStalledBodyIsCutOff(t *testing.T) {
	addr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}), Timeouts{ReadHeader: time.Second, Read: 300 * time.Millisecond})
	closed, err := slowclient.StalledBody(addr, "/", 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !closed {
		t.Error("a client that stalled after 7 of 100,000 bytes still holds the connection")
	}
}

func TestStalledHeadersAreCutOff(t *testing.T) {
	addr := serve(t, http.NotFoundHandler(), Timeouts{ReadHeader: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Error("a client that never finished its headers still holds the connection")
	}
}

// TestStreamOutlivesTheWriteTimeout: a response that calls Stream keeps
// writing after the server's write timeout; one that does not is cut.
func TestStreamOutlivesTheWriteTimeout(t *testing.T) {
	addr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stream" {
			if err := Stream(w); err != nil {
				t.Error(err)
			}
		}
		rc := http.NewResponseController(w)
		for i := range 6 {
			fmt.Fprintf(w, "tick %d\n", i)
			if rc.Flush() != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}), Timeouts{Write: 250 * time.Millisecond})
	ticks := func(path string) int {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0
		}
		defer resp.Body.Close()
		n := 0
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "tick") {
				n++
			}
		}
		return n
	}
	if n := ticks("/stream"); n != 6 {
		t.Errorf("stream got %d of 6 ticks", n)
	}
	if n := ticks("/plain"); n == 6 {
		t.Error("a plain response outlived the write timeout: the test proves nothing")
	}
}

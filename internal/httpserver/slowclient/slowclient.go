// Package slowclient is a misbehaving HTTP client for tests: one that
// announces a request body and then stalls, as a slowloris attack does.
package slowclient

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// StalledBody sends a POST to path announcing a 100,000-byte body, writes 7
// bytes of it and stalls. It reports whether the server closed the
// connection within limit (an answer, EOF or a reset all count); false
// means the server was still holding it.
func StalledBody(addr, path string, limit time.Duration) (closed bool, err error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":\"b", path, addr); err != nil {
		return false, err
	}
	_ = conn.SetReadDeadline(time.Now().Add(limit))
	_, err = io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return false, nil
	}
	return true, nil
}

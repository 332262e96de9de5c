// Package httpserver builds the project's HTTP servers with timeouts, so a
// client that sends its headers or body slowly (or never) cannot hold a
// connection open: the app, the emulator, the CLI's servers and the
// emulator's Lambda Runtime API all use it. Run (run.go) is their one
// serve-until-cancelled-then-shut-down loop.
package httpserver

import (
	"net/http"
	"time"
)

// Timeouts bound each phase of a connection; zero leaves a phase unbounded.
type Timeouts struct {
	// ReadHeader is how long a client may take to send the request line and
	// headers.
	ReadHeader time.Duration
	// Read is how long it may take to send the whole request, body included.
	Read time.Duration
	// Write bounds the handler and the response, from the end of the
	// headers. Long-running streams lift it with Stream.
	Write time.Duration
	// Idle is how long a kept-alive connection may wait for its next request.
	Idle time.Duration
}

// App is the web app's: its pages wait at most 35 s for the data service
// (API Gateway gives up at 30 s), and an avatar upload is at most a few MiB.
var App = Timeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second, Idle: 2 * time.Minute}

// Or returns t, with each zero phase taken from def.
func (t Timeouts) Or(def Timeouts) Timeouts {
	pick := func(a, b time.Duration) time.Duration {
		if a != 0 {
			return a
		}
		return b
	}
	return Timeouts{ReadHeader: pick(t.ReadHeader, def.ReadHeader), Read: pick(t.Read, def.Read),
		Write: pick(t.Write, def.Write), Idle: pick(t.Idle, def.Idle)}
}

// New returns a server for h with the timeouts t.
func New(h http.Handler, t Timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle}
}

// Stream lifts the read and write deadlines of one response that is meant
// to stay open (an event stream, a long poll), as its explicit opt-out of
// the server's timeouts. Call it after reading the request body.
func Stream(w http.ResponseWriter) error {
	rc := http.NewResponseController(w)
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return err
	}
	return rc.SetWriteDeadline(time.Time{})
}

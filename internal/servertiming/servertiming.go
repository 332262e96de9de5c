// Package servertiming carries the time a request spent in each hop of the
// stack in the standard Server-Timing response header, so the load command
// (and a browser's developer tools) can see where a page's time went: the
// data service reports its handler and PostgreSQL time on every answer,
// API Gateway passes the header through as it passes any header, and the
// app adds its own time and the round trip of each data-API call.
package servertiming

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Header is the response header's name.
const Header = "Server-Timing"

// The metric names the stack uses.
const (
	// App is the web app's own time on a page: its total minus the time
	// data-API calls were in flight.
	App = "app"
	// Call is one data-API round trip seen from the app (API Gateway, the
	// Lambda invocation and the handler inside it). Fn and DB follow their
	// Call and belong to it.
	Call = "api"
	// Fn is the data service's handler time inside the Lambda process.
	Fn = "fn"
	// DB is the time the handler waited on PostgreSQL.
	DB = "db"
)

// Metric is one Server-Timing entry.
type Metric struct {
	Name string
	Dur  time.Duration
}

// Format renders metrics as a header value: "fn;dur=1.234, db;dur=0.5".
func Format(ms []Metric) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m.Name)
		b.WriteString(";dur=")
		b.WriteString(strconv.FormatFloat(float64(m.Dur.Microseconds())/1000, 'f', 3, 64))
	}
	return b.String()
}

// Parse reads the metrics with a duration from header values, in order;
// entries without dur, or with a malformed one, are skipped.
func Parse(values []string) []Metric {
	var out []Metric
	for _, v := range values {
		for entry := range strings.SplitSeq(v, ",") {
			params := strings.Split(entry, ";")
			name := strings.TrimSpace(params[0])
			for _, p := range params[1:] {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if !ok || !strings.EqualFold(k, "dur") {
					continue
				}
				f, err := strconv.ParseFloat(strings.Trim(val, `"`), 64)
				if err != nil || f < 0 || name == "" {
					continue
				}
				out = append(out, Metric{Name: name, Dur: time.Duration(f * float64(time.Millisecond))})
			}
		}
	}
	return out
}

// Clock accumulates the time one request spent waiting on something (the
// database); it is safe for concurrent use.
type Clock struct{ ns atomic.Int64 }

// Add adds d.
func (c *Clock) Add(d time.Duration) { c.ns.Add(int64(d)) }

// Total is the time added so far.
func (c *Clock) Total() time.Duration { return time.Duration(c.ns.Load()) }

type clockKey struct{}

// WithClock returns a context whose database waits are added to a new Clock.
func WithClock(ctx context.Context) (context.Context, *Clock) {
	c := &Clock{}
	return context.WithValue(ctx, clockKey{}, c), c
}

// AddDB adds d to the context's Clock, if it has one.
func AddDB(ctx context.Context, d time.Duration) {
	if c, ok := ctx.Value(clockKey{}).(*Clock); ok {
		c.Add(d)
	}
}

// Writer sets the Server-Timing header to Metrics() when the status is
// written, the last moment headers can change; time spent writing the
// body is not counted.
type Writer struct {
	http.ResponseWriter
	Metrics func() []Metric
	written bool
}

func (w *Writer) stamp() {
	if !w.written {
		w.written = true
		w.Header().Set(Header, Format(w.Metrics()))
	}
}

// WriteHeader sets the header, then writes the status.
func (w *Writer) WriteHeader(code int) {
	w.stamp()
	w.ResponseWriter.WriteHeader(code)
}

// Write sets the header if the status was not written yet, then writes.
func (w *Writer) Write(b []byte) (int, error) {
	w.stamp()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

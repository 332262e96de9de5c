package dataapi

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coolroom/testbed/internal/servertiming"
)

// Calls collects the data-API calls made while serving one page: their API
// Gateway request ids, so the app's log line for that page names them
// (searching one id then finds the page, the API Gateway call and the
// Lambda invocation; the emulator's console shows the same id), and their
// timings, which the app reports in its Server-Timing header.
type Calls struct {
	// requestID is the page's own request id, sent on each call as
	// X-Request-Id so API Gateway's trace and the data service's log name
	// the page view the call belongs to.
	requestID string

	mu    sync.Mutex
	ids   []string
	calls []call
}

// call is one data-API round trip and the handler and database time the
// data service reported for it.
type call struct {
	start, end time.Time
	fn, db     time.Duration
}

type callsKey struct{}

// WithCalls returns a context that records the calls made with it and
// sends requestID (the page's id; "" sends none) with each of them.
func WithCalls(ctx context.Context, requestID string) (context.Context, *Calls) {
	c := &Calls{requestID: requestID}
	return context.WithValue(ctx, callsKey{}, c), c
}

// RequestIDHeader carries the page's request id to API Gateway (which
// passes it to the data service in the event's headers) and to the
// browser.
const RequestIDHeader = "X-Request-Id"

// CallsFrom returns the collector of ctx, or nil.
func CallsFrom(ctx context.Context) *Calls {
	c, _ := ctx.Value(callsKey{}).(*Calls)
	return c
}

// IDs returns the recorded API Gateway request ids in call order.
func (c *Calls) IDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

// Timing returns the Server-Timing metrics of a page that took total: the
// app's own time (total minus the time at least one call was in flight;
// calls may overlap) and, per call in call order, its round trip (api)
// followed by the handler (fn) and PostgreSQL (db) time the data service
// reported.
func (c *Calls) Timing(total time.Duration) []servertiming.Metric {
	c.mu.Lock()
	calls := slices.Clone(c.calls)
	c.mu.Unlock()
	slices.SortFunc(calls, func(a, b call) int { return a.start.Compare(b.start) })
	var busy time.Duration
	var until time.Time // end of the merged interval so far
	for _, cl := range calls {
		switch {
		case cl.start.After(until):
			busy += cl.end.Sub(cl.start)
			until = cl.end
		case cl.end.After(until):
			busy += cl.end.Sub(until)
			until = cl.end
		}
	}
	out := []servertiming.Metric{{Name: servertiming.App, Dur: max(total-busy, 0)}}
	for _, cl := range calls {
		out = append(out, servertiming.Metric{Name: servertiming.Call, Dur: cl.end.Sub(cl.start)},
			servertiming.Metric{Name: servertiming.Fn, Dur: cl.fn}, servertiming.Metric{Name: servertiming.DB, Dur: cl.db})
	}
	return out
}

// record notes a finished call, if the context carries a collector: the
// API Gateway request id if the gateway sent one, and the timing.
func record(ctx context.Context, resp *http.Response, start time.Time) {
	c := CallsFrom(ctx)
	if c == nil {
		return
	}
	cl := call{start: start, end: time.Now()}
	for _, m := range servertiming.Parse(resp.Header.Values(servertiming.Header)) {
		switch m.Name {
		case servertiming.Fn:
			cl.fn = m.Dur
		case servertiming.DB:
			cl.db = m.Dur
		}
	}
	id := resp.Header.Get("Apigw-Requestid")
	c.mu.Lock()
	if id != "" {
		c.ids = append(c.ids, id)
	}
	c.calls = append(c.calls, cl)
	c.mu.Unlock()
}

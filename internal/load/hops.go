package load

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/coolroom/testbed/internal/servertiming"
)

// The hops of a request, from the Server-Timing header the app sends:
// the app's own time per page, and per data-API call the time between the
// app and the handler (API Gateway, the Lambda invocation and the Runtime
// API), the handler's own time and PostgreSQL's.
const (
	HopApp     = "app (own time per page)"
	HopGateway = "API Gateway + Lambda invoke (per call)"
	HopHandler = "Lambda handler, own time (per call)"
	HopDB      = "PostgreSQL (per call)"
)

var hopOrder = []string{HopApp, HopGateway, HopHandler, HopDB}

// HopStats summarises one hop: over all the users' requests, and over the
// posts alone.
type HopStats struct {
	Hop                string
	Count              int
	P50, P90, P99, Max time.Duration
	PostCount          int
	PostP50, PostP99   time.Duration
}

// hopSamples splits a response's Server-Timing into hop durations. Each
// "api" metric starts a call; the "fn" and "db" after it belong to it.
func hopSamples(h http.Header) map[string][]time.Duration {
	out := map[string][]time.Duration{}
	var api, fn time.Duration
	inCall := false
	flush := func() {
		if inCall {
			out[HopGateway] = append(out[HopGateway], max(api-fn, 0))
		}
	}
	for _, m := range servertiming.Parse(h.Values(servertiming.Header)) {
		switch m.Name {
		case servertiming.App:
			out[HopApp] = append(out[HopApp], m.Dur)
		case servertiming.Call:
			flush()
			api, fn, inCall = m.Dur, 0, true
		case servertiming.Fn:
			fn = m.Dur
		case servertiming.DB:
			out[HopDB] = append(out[HopDB], m.Dur)
			out[HopHandler] = append(out[HopHandler], max(fn-m.Dur, 0))
		}
	}
	flush()
	return out
}

// addHops records a response's hops under action.
func (r *recorder) addHops(action string, h http.Header) {
	if action == ActVerify {
		return // the check after the run is not part of the load
	}
	s := hopSamples(h)
	r.mu.Lock()
	defer r.mu.Unlock()
	for hop, ds := range s {
		r.hops[hop] = append(r.hops[hop], ds...)
		if action == ActPost {
			r.postHops[hop] = append(r.postHops[hop], ds...)
		}
	}
}

func (r *recorder) hopStats() []HopStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []HopStats
	for _, hop := range hopOrder {
		d := slices.Clone(r.hops[hop])
		if len(d) == 0 {
			continue
		}
		q := summarize(d)
		s := HopStats{Hop: hop, Count: len(d), P50: q.p50, P90: q.p90, P99: q.p99, Max: q.max}
		if p := slices.Clone(r.postHops[hop]); len(p) > 0 {
			pq := summarize(p)
			s.PostCount, s.PostP50, s.PostP99 = len(p), pq.p50, pq.p99
		}
		out = append(out, s)
	}
	return out
}

// printHops writes the per-hop table.
func printHops(w io.Writer, hops []HopStats) {
	if len(hops) == 0 {
		fmt.Fprintln(w, "\nPer hop: not available (the app sent no Server-Timing header).")
		return
	}
	fmt.Fprintln(w, "\nPer hop (from the Server-Timing headers the app and the data service send):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "hop\tcount\tp50\tp90\tp99\tmax\tposts: p50\tp99\t")
	for _, h := range hops {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", h.Hop, h.Count, ms(h.P50), ms(h.P90), ms(h.P99), ms(h.Max), ms(h.PostP50), ms(h.PostP99))
	}
	_ = tw.Flush()
}

package console

import (
	"slices"
	"strconv"
	"time"
)

// traceGroup is one row of the trace list: the gateway calls of one page
// view (grouped by the app's request id), a request on its own, or the
// same read repeated (a room page's polling), folded into one row with a
// counter.
type traceGroup struct {
	// ID is the app's request id of a page view; "" for a lone request.
	ID string
	// Page is the app's own record of the page view, when it reported one.
	Page *Page
	// Traces are the requests, in the order they started.
	Traces []*Trace
	// Folded counts the identical requests this row stands for (1 when
	// nothing was folded); Since is when the oldest of them arrived.
	Folded int
	Since  time.Time
	// GatewayMs is the span from the first call's arrival to the last
	// answer; LambdaMs, FunctionMs and DBMs add up the calls' times.
	GatewayMs, LambdaMs, FunctionMs, DBMs float64
	HasDB                                 bool
	// Parallel is the most calls in flight at once; Started counts the
	// instances cold-started for this page view.
	Parallel, Started int
}

// PageView reports whether the row is a page view (several calls or the
// app's own record) rather than a single request.
func (g *traceGroup) PageView() bool { return g.ID != "" && (len(g.Traces) > 1 || g.Page != nil) }

// ScaleOut says in words how the page view's parallel calls were served:
// "3 calls in parallel: 3 new instances started (cold starts)".
func (g *traceGroup) ScaleOut() string {
	if g.Parallel < 2 {
		if g.Started < 2 {
			return ""
		}
		return strconv.Itoa(g.Started) + " calls one after another, each on a new instance (cold starts)"
	}
	s := strconv.Itoa(g.Parallel) + " calls in parallel"
	switch g.Started {
	case 0:
		return s + ", all served by warm instances"
	case 1:
		return s + ": 1 new instance started (cold start)"
	}
	return s + ": " + strconv.Itoa(g.Started) + " new instances started (cold starts) — Lambda scaled out"
}

// foldKey identifies requests that are the same read: a GET answered
// without error on the same path. Polls are exactly that.
func foldKey(t *Trace) string {
	if t.Method != "GET" || t.Status >= 400 || t.Status == 0 {
		return ""
	}
	return t.Service + " " + t.Path + " " + strconv.Itoa(t.Status)
}

// groupTraces turns traces (newest first) into rows, newest first: a page
// view's calls share a row; with fold, a single-call row that repeats a
// newer one's read is counted on that row instead of shown again.
func groupTraces(traces []*Trace, page func(string) *Page, fold bool) []*traceGroup {
	var out []*traceGroup
	byID := map[string]*traceGroup{}
	for _, t := range traces {
		if t.ClientRequestID != "" {
			if g, ok := byID[t.ClientRequestID]; ok {
				g.Traces = append(g.Traces, t)
				continue
			}
		}
		g := &traceGroup{ID: t.ClientRequestID, Traces: []*Trace{t}, Folded: 1, Since: t.Time}
		if g.ID != "" {
			byID[g.ID] = g
			g.Page = page(g.ID)
		}
		out = append(out, g)
	}
	folded := out[:0]
	byKey := map[string]*traceGroup{}
	for _, g := range out {
		slices.Reverse(g.Traces) // oldest first: the order the page made them
		g.summarize()
		if fold && len(g.Traces) == 1 && (g.Page == nil || g.Page.Method == "GET") {
			if k := foldKey(g.Traces[0]); k != "" {
				if first, ok := byKey[k]; ok {
					first.Folded++
					first.Since = g.Traces[0].Time
					continue
				}
				byKey[k] = g
			}
		}
		folded = append(folded, g)
	}
	return folded
}

// summarize adds up the calls' times and counts overlap and cold starts.
func (g *traceGroup) summarize() {
	type edge struct {
		at    time.Time
		delta int
	}
	var edges []edge
	var first, last time.Time
	for i, t := range g.Traces {
		end := t.Time.Add(time.Duration(t.TotalMs * float64(time.Millisecond)))
		if i == 0 || t.Time.Before(first) {
			first = t.Time
		}
		if end.After(last) {
			last = end
		}
		edges = append(edges, edge{t.Time, 1}, edge{end, -1})
		if t.Lambda != nil {
			g.LambdaMs += t.Lambda.DurationMs
			if t.Lambda.Cold {
				g.Started++
			}
		}
		g.FunctionMs += t.FunctionMs
		g.DBMs += t.DBMs
		g.HasDB = g.HasDB || t.HasDB
	}
	g.GatewayMs = ms(last.Sub(first))
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.delta - b.delta // an end before a start at the same instant
	})
	n := 0
	for _, e := range edges {
		n += e.delta
		g.Parallel = max(g.Parallel, n)
	}
}

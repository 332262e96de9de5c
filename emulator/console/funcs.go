package console

import (
	"html/template"

	"github.com/coolroom/testbed/internal/drill"
	"strconv"
	"strings"
	"time"
)

// funcs are the template helpers; each returns plain text, which the
// template escapes.
var funcs = template.FuncMap{
	"ms":          formatMs,
	"bytes":       formatBytes,
	"clock":       func(t time.Time) string { return t.Format("15:04:05.000") },
	"datetime":    func(t time.Time) string { return t.Format("2006-01-02 15:04:05") },
	"ago":         since,
	"statusClass": statusClass,
	"logLines":    logLines,
	"pct":         pct,
	"first": func(n int, invs []*Invocation) []*Invocation {
		if len(invs) > n {
			return invs[:n]
		}
		return invs
	},
	"short": func(s string) string {
		if len(s) > 13 {
			return s[:13]
		}
		return s
	},
	"drills":     func() []string { return drill.Kinds },
	"drillLabel": drillLabel,
	"traceArgs":  func(t *Trace, q string, g *traceGroup) traceArgs { return traceArgs{T: t, Query: q, G: g} },
	"groupArgs":  func(g *traceGroup, q string) groupArgs { return groupArgs{G: g, Query: q} },
	"fnArgs":     func(f functionView, q string) fnArgs { return fnArgs{F: f, Query: q} },
}

// traceArgs and fnArgs hand a sub-template its item and the search query.
type traceArgs struct {
	T     *Trace
	Query string
	// G is the row the trace is shown in: its fold counter.
	G *traceGroup
}

type groupArgs struct {
	G     *traceGroup
	Query string
}

type fnArgs struct {
	F     functionView
	Query string
}

func formatMs(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v/1000, 'f', 2, 64) + " s"
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64) + " ms"
	case v > 0 && v < 1:
		return strconv.FormatFloat(v*1000, 'f', 0, 64) + " µs"
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + " ms"
}

func formatBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func statusClass(code int) string {
	switch {
	case code >= 500:
		return "s5"
	case code >= 400:
		return "s4"
	case code >= 300:
		return "s3"
	}
	return "s2"
}

// pct is part's share of total in percent, at least 1 so that a tiny hop
// still shows in the waterfall.
func pct(part, total float64) float64 {
	if total <= 0 || part <= 0 {
		return 0
	}
	p := part * 100 / total
	if p < 1 {
		p = 1
	}
	return float64(int(p*10)) / 10
}

// logLine is one line of a function's log, classified for colour.
type logLine struct {
	Text  string
	Class string
}

// logLines splits a log into lines: the platform's START/END/REPORT lines
// are dimmed, error lines marked, and lines containing the search query
// highlighted.
func logLines(log, query string) []logLine {
	log = strings.TrimRight(log, "\n")
	if log == "" {
		return nil
	}
	lines := strings.Split(log, "\n")
	out := make([]logLine, 0, len(lines))
	for _, l := range lines {
		class := ""
		switch {
		case strings.HasPrefix(l, "START RequestId:"), strings.HasPrefix(l, "END RequestId:"), strings.HasPrefix(l, "REPORT RequestId:"):
			class = "meta"
		case strings.Contains(l, `"level":"ERROR"`), strings.Contains(l, "level=ERROR"), strings.Contains(l, "Error:"):
			class = "error"
		}
		if query != "" && strings.Contains(l, query) {
			class = strings.TrimSpace(class + " match")
		}
		out = append(out, logLine{Text: l, Class: class})
	}
	return out
}

// drillLabel is a drill's button text.
func drillLabel(kind string) string {
	switch kind {
	case drill.Crash:
		return "Crash"
	case drill.Slow:
		return "Slow (past the timeout)"
	case drill.Throttle:
		return "Throttle (concurrency 0)"
	case drill.DBDown:
		return "Lose the database"
	case drill.Restore:
		return "Restore"
	}
	return kind
}

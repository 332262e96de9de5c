package console

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/internal/httpserver"
)

// pageData is what the page and its live fragment render.
type pageData struct {
	Query string
	State state
	// Groups are the rows of the trace list: page views, lone requests,
	// folded repeats.
	Groups       []*traceGroup
	TraceMatched int
	TraceTotal   int
	Seq          int64
	Generated    time.Time
	// Drill is the last failure drill run from the console.
	Drill *drillRun
}

func (c *Console) pageData(r *http.Request) pageData {
	q := cleanQuery(r.URL.Query().Get("q"))
	d := pageData{Query: q, Seq: c.rec.Seq(), Generated: time.Now(), Drill: c.lastDrill()}
	d.State = c.collectState(r.Host, q, pageObjects)
	var all []*Trace
	all, d.TraceMatched = c.findTraces(q, 0)
	d.Groups = groupTraces(all, c.rec.page, q == "")
	if len(d.Groups) > pageTraces {
		d.Groups = d.Groups[:pageTraces]
	}
	d.TraceTotal = len(c.rec.Traces())
	return d
}

func (c *Console) handlePage(w http.ResponseWriter, r *http.Request) {
	c.render(w, "page", c.pageData(r))
}

// handleFragment renders the live part of the page, which the page's
// script swaps in after each event.
func (c *Console) handleFragment(w http.ResponseWriter, r *http.Request) {
	c.render(w, "live", c.pageData(r))
}

// render executes into a buffer first, so a template error gives a clean
// 500 instead of half a page.
func (c *Console) render(w http.ResponseWriter, name string, data pageData) {
	var buf bytes.Buffer
	if err := c.templates().ExecuteTemplate(&buf, name, data); err != nil {
		c.log.Error("console: render", "template", name, "err", err)
		http.Error(w, "console: could not render the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}

// handleAPIState answers GET /_console/api/state: buckets (with up to 1000
// objects each), functions (with instances and recent invocations) and
// APIs (routes, stages, invoke URLs).
func (c *Console) handleAPIState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, c.collectState(r.Host, "", stateObjects))
}

// tracesDoc is the answer of GET /_console/api/traces.
type tracesDoc struct {
	Query string `json:"query"`
	// Count is how many traces matched; Traces holds them, newest first.
	Count  int      `json:"count"`
	Traces []*Trace `json:"traces"`
	// Invocations are the recorded Lambda invocations matching the query
	// (direct Invoke calls included); only with a query.
	Invocations []*Invocation `json:"invocations,omitempty"`
	// Page is the app's page view whose request id is the query, if the
	// app reported it.
	Page *Page `json:"page,omitempty"`
}

// handleAPITraces answers GET /_console/api/traces?id=<any id>[&limit=n]
// [&service=apigateway|s3]: the recorded traces whose gateway, S3, app or
// Lambda request id, instance, pid, route, path or log contains the id
// (all traces without one), "cold" finding cold starts.
func (c *Console) handleAPITraces(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := cleanQuery(q.Get("id"))
	if id == "" {
		id = cleanQuery(q.Get("q"))
	}
	limit, _ := strconv.Atoi(q.Get("limit"))
	doc := tracesDoc{Query: id, Traces: []*Trace{}}
	doc.Traces, doc.Count = c.findTraces(id, 0)
	if svc := q.Get("service"); svc != "" {
		kept := doc.Traces[:0]
		for _, t := range doc.Traces {
			if t.Service == svc {
				kept = append(kept, t)
			}
		}
		doc.Traces, doc.Count = kept, len(kept)
	}
	if limit > 0 && len(doc.Traces) > limit {
		doc.Traces = doc.Traces[:limit]
	}
	if doc.Traces == nil {
		doc.Traces = []*Trace{}
	}
	if id != "" {
		doc.Page = c.rec.page(id)
		for _, fn := range c.fns.FunctionInfos() {
			for _, inv := range c.rec.Invocations(fn.Name) {
				if inv.matches(id) {
					doc.Invocations = append(doc.Invocations, inv)
				}
			}
		}
	}
	writeJSON(w, doc)
}

// writeJSON answers with v through the emulator's one JSON writer; the
// console's answers change with every request, so none is cached.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Cache-Control", "no-store")
	awserr.WriteJSON(w, http.StatusOK, v)
}

// handleDownload streams an object as an attachment:
// GET /_console/download?bucket=<b>&key=<k>.
func (c *Console) handleDownload(w http.ResponseWriter, r *http.Request) {
	bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
	info, body, ok := c.s3.Object(bucket, key)
	if !ok {
		http.Error(w, "no such object", http.StatusNotFound)
		return
	}
	h := w.Header()
	ctype := info.ContentType
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.FormatInt(info.Size, 10))
	// Always an attachment: an uploaded HTML file must not run as a page
	// of the console's origin.
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(key)})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("ETag", info.ETag)
	if _, err := body.WriteTo(w); err != nil {
		c.log.Debug("console: download interrupted", "bucket", bucket, "key", key, "err", err)
	}
}

// handleEvents streams server-sent events: "update" after new traces or
// invocations (at most one a second), and a comment every 15 s to keep
// proxies from closing the stream.
func (c *Console) handleEvents(w http.ResponseWriter, r *http.Request) {
	// The stream stays open as long as the tab: it opts out of the
	// server's read and write timeouts.
	if err := httpserver.Stream(w); err != nil {
		c.log.Warn("console: event stream cannot lift the server's deadlines", "err", err)
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	ch := c.rec.subscribe()
	defer c.rec.unsubscribe(ch)
	if _, err := fmt.Fprintf(w, "retry: 2000\nevent: hello\ndata: %d\n\n", c.rec.Seq()); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	keepAlive := time.NewTicker(15 * time.Second)
	defer keepAlive.Stop()
	// Each update makes the page fetch and lay out the whole fragment
	// (260 KB after a load run, 25–35 ms for the emulator to render): at
	// four a second, up to a seventh of a core of the 2-core machine the
	// console is watching, besides the browser's share. Once a second is
	// still live to a reader.
	const minGap = time.Second
	var last time.Time
	for {
		select {
		case <-r.Context().Done():
			return
		case <-c.done:
			return
		case <-keepAlive.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-ch:
			// Coalesce bursts: a page fetches at most one fragment a second.
			if wait := minGap - time.Since(last); wait > 0 {
				select {
				case <-time.After(wait):
				case <-r.Context().Done():
					return
				case <-c.done:
					return
				}
				select {
				case <-ch:
				default:
				}
			}
			last = time.Now()
			if _, err := fmt.Fprintf(w, "event: update\ndata: %d\n\n", c.rec.Seq()); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

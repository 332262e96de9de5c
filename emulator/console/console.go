// Package console is the emulator's teaching console, served at /_console:
// a server-rendered view of the buckets, functions and APIs, a live trace
// of recent requests (API Gateway → Lambda with each hop's time and the
// function's log, S3 calls, grouped under the app's page views), and
// failure-drill buttons. A small JSON API serves tests and scripts.
//
// The page is html/template (everything escaped), its CSS and script are
// embedded, and it updates itself through server-sent events: each event
// makes the page fetch a fresh server-rendered fragment.
package console

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"sync"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
)

// Prefix is the path the console is served under.
const Prefix = "/_console"

//go:embed assets
var assets embed.FS

// Options configure a console.
type Options struct {
	Logger   *slog.Logger
	Recorder *Recorder
	S3       *s3.Service
	Lambda   *lambda.Service
	Gateway  *apigateway.Service
}

// Console serves the console pages, its JSON API and its event stream.
type Console struct {
	log *slog.Logger
	rec *Recorder
	s3  *s3.Service
	fns *lambda.Service
	gw  *apigateway.Service
	mux *http.ServeMux

	// The templates are parsed on first use: most emulator runs never open
	// the console, and startup time and idle memory are budgeted.
	tmplOnce sync.Once
	tmpl     *template.Template

	// drills holds the last failure drill run from the page.
	drills drillState

	closeOnce sync.Once
	done      chan struct{}
}

// New returns a console over the given services; Recorder must be the one
// the Lambda and API Gateway services report to.
func New(opts Options) *Console {
	c := &Console{log: opts.Logger, rec: opts.Recorder, s3: opts.S3, fns: opts.Lambda, gw: opts.Gateway,
		done: make(chan struct{})}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.rec == nil {
		c.rec = NewRecorder(0, 0)
	}
	m := http.NewServeMux()
	m.HandleFunc("GET "+Prefix+"/{$}", c.handlePage)
	m.HandleFunc("GET "+Prefix+"/fragment", c.handleFragment)
	m.HandleFunc("GET "+Prefix+"/events", c.handleEvents)
	m.HandleFunc("GET "+Prefix+"/download", c.handleDownload)
	m.HandleFunc("GET "+Prefix+"/api/state", c.handleAPIState)
	m.HandleFunc("GET "+Prefix+"/api/traces", c.handleAPITraces)
	m.HandleFunc("GET "+Prefix+"/assets/{file}", c.handleAsset)
	m.HandleFunc("POST "+Prefix+"/drill", c.handleDrill)
	m.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	c.mux = m
	return c
}

// templates returns the parsed templates; they are embedded, so a parse
// error is a bug caught by the tests.
func (c *Console) templates() *template.Template {
	c.tmplOnce.Do(func() {
		c.tmpl = template.Must(template.New("console").Funcs(funcs).ParseFS(assets, "assets/*.tmpl"))
	})
	return c.tmpl
}

// Recorder is where the console's traces and invocations are kept.
func (c *Console) Recorder() *Recorder { return c.rec }

// ServeHTTP serves every path under /_console.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == Prefix {
		http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
		return
	}
	h := w.Header()
	// The console shows what functions print and what users uploaded:
	// everything is escaped, and the policy makes sure no inline script
	// could run even if something slipped through.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
		"connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	c.mux.ServeHTTP(w, r)
}

// Close ends the live event streams, so a server shutdown need not wait
// for open console tabs. The emulator registers it with RegisterOnShutdown.
func (c *Console) Close() {
	c.closeOnce.Do(func() { close(c.done) })
}

// Reset forgets the recorded traces and invocations.
func (c *Console) Reset() { c.rec.Reset() }

func (c *Console) handleAsset(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	var ctype string
	switch file {
	case "console.css":
		ctype = "text/css; charset=utf-8"
	case "console.js":
		ctype = "text/javascript; charset=utf-8"
	default:
		http.NotFound(w, r)
		return
	}
	b, err := assets.ReadFile("assets/" + file)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

package console

import (
	"strings"
	"sync"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
	"github.com/coolroom/testbed/internal/servertiming"
)

// Bounds on what the recorder keeps, so memory stays small however long
// the emulator runs: traces up to DefaultTraceBytes (a classroom's
// polling does not push the interesting requests out after minutes, and
// a trace with a long log weighs more than a short one), 100 invocations
// per function and 1000 app page views, each log at most maxLogBytes.
const (
	DefaultTraceBytes     = 8 << 20
	DefaultMaxInvocations = 100
	maxPages              = 1000
	maxLogBytes           = 16 << 10
)

// Invocation is one recorded Lambda invocation.
type Invocation struct {
	Function  string `json:"function"`
	RequestID string `json:"requestId"`
	// APIGWRequestID is the API Gateway request that caused the
	// invocation; empty for direct Invoke calls.
	APIGWRequestID string    `json:"apigwRequestId,omitempty"`
	Instance       string    `json:"instance"`
	PID            int       `json:"pid"`
	Cold           bool      `json:"cold"`
	Start          time.Time `json:"start"`
	DurationMs     float64   `json:"durationMs"`
	// QueuedMs is the part of DurationMs spent waiting for an instance
	// because the function had as many processes as the emulator allows.
	QueuedMs float64 `json:"queuedMs,omitempty"`
	// ErrorType is the runtime's errorType ("Runtime.ExitError", …) when
	// the function failed; empty on success.
	ErrorType string `json:"errorType,omitempty"`
	TimedOut  bool   `json:"timedOut,omitempty"`
	// Log holds the START/END/REPORT lines and the function's output (the
	// last 16 KB of it).
	Log string `json:"log"`
}

// Trace is one recorded request with its hops: an execute-api request
// (Service "apigateway") or an S3 API call (Service "s3", with Operation,
// Bucket and Key; its S3 request id is in APIGWRequestID's place, RequestID).
type Trace struct {
	// Seq numbers traces in arrival order; the page uses it to mark new ones.
	Seq     int64  `json:"seq"`
	Service string `json:"service"`
	// APIGWRequestID is API Gateway's request id (S3's for S3 calls).
	APIGWRequestID string `json:"apigwRequestId"`
	// ClientRequestID is the caller's X-Request-Id: the web app's id of
	// the page view that made the call.
	ClientRequestID string    `json:"clientRequestId,omitempty"`
	Operation       string    `json:"operation,omitempty"`
	Bucket          string    `json:"bucket,omitempty"`
	Key             string    `json:"key,omitempty"`
	Time            time.Time `json:"time"`
	APIID           string    `json:"apiId"`
	APIName         string    `json:"apiName"`
	Kind            string    `json:"kind"`
	Method          string    `json:"method"`
	Path            string    `json:"path"`
	Stage           string    `json:"stage"`
	RouteKey        string    `json:"routeKey"`
	// PathParams are the path parameters of the matched route.
	PathParams     map[string]string `json:"pathParameters,omitempty"`
	PayloadVersion string            `json:"payloadVersion,omitempty"`
	Function       string            `json:"function,omitempty"`
	Status         int               `json:"status"`
	Error          string            `json:"error,omitempty"`
	// The time spent in each hop: the gateway before the integration, the
	// integration (Lambda included), the gateway mapping the response.
	RoutingMs     float64 `json:"routingMs"`
	IntegrationMs float64 `json:"integrationMs"`
	ResponseMs    float64 `json:"responseMs"`
	TotalMs       float64 `json:"totalMs"`
	// FunctionMs and DBMs are the data service's handler time and the
	// part of it spent in PostgreSQL, from its Server-Timing header.
	FunctionMs float64 `json:"functionMs,omitempty"`
	DBMs       float64 `json:"dbMs,omitempty"`
	HasDB      bool    `json:"hasDb,omitempty"`
	// Lambda is the invocation behind the request; nil when no function
	// answered in time.
	Lambda *Invocation `json:"lambda,omitempty"`
}

// size estimates the memory a trace holds, for the byte bound.
func (t *Trace) size() int {
	n := 512 + len(t.APIGWRequestID) + len(t.ClientRequestID) + len(t.Key) + len(t.Path) + len(t.RouteKey) + len(t.Error)
	for k, v := range t.PathParams {
		n += len(k) + len(v) + 32
	}
	if t.Lambda != nil {
		n += 256 + len(t.Lambda.Log)
	}
	return n
}

// Page is one page view the web app served: its request id (the
// X-Request-Id it sent on each data-API call and to the browser), its
// total time and its own time (the total minus data-API calls in flight).
// The app reports it when it runs in the same process as the emulator
// (`coolroom up`); otherwise the console groups the calls without it.
type Page struct {
	RequestID string    `json:"requestId"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
	Status    int       `json:"status"`
	Start     time.Time `json:"start"`
	TotalMs   float64   `json:"totalMs"`
	AppMs     float64   `json:"appMs"`
	// Calls counts the page's data-API calls that reached API Gateway.
	Calls int `json:"calls"`
}

// traceLog keeps traces up to a byte budget, oldest dropped first.
type traceLog struct {
	max, bytes int
	items      []*Trace // oldest first; items[head:] are live
	head       int
}

func (l *traceLog) add(t *Trace) {
	l.items = append(l.items, t)
	l.bytes += t.size()
	for l.bytes > l.max && l.head < len(l.items)-1 {
		l.bytes -= l.items[l.head].size()
		l.items[l.head] = nil
		l.head++
	}
	// Compact once half the slice is dead, so it does not grow forever.
	if l.head > 64 && l.head*2 > len(l.items) {
		l.items = append([]*Trace(nil), l.items[l.head:]...)
		l.head = 0
	}
}

func (l *traceLog) newestFirst() []*Trace {
	live := l.items[l.head:]
	out := make([]*Trace, len(live))
	for i, t := range live {
		out[len(live)-1-i] = t
	}
	return out
}

// ring keeps the last cap(buf) values.
type ring[T any] struct {
	buf  []T
	next int
}

func newRing[T any](n int) *ring[T] { return &ring[T]{buf: make([]T, 0, n)} }

func (r *ring[T]) add(v T) {
	if len(r.buf) < cap(r.buf) {
		r.buf = append(r.buf, v) // grow lazily: an idle emulator holds nothing
	} else {
		r.buf[r.next] = v
	}
	r.next = (r.next + 1) % cap(r.buf)
}

// newestFirst copies the values out, newest first.
func (r *ring[T]) newestFirst() []T {
	out := make([]T, 0, len(r.buf))
	for i := 1; i <= len(r.buf); i++ {
		out = append(out, r.buf[(r.next-i+cap(r.buf))%cap(r.buf)])
	}
	return out
}

// Recorder keeps the recent traces and invocations in bounded ring
// buffers. Recording takes a mutex and copies a few fields: it is on the
// request path, so it formats nothing.
type Recorder struct {
	maxInvocations int

	mu          sync.Mutex
	seq         int64
	traces      *traceLog
	pages       map[string]*Page
	pageOrder   *ring[string]
	rate        rateCounter // execute-api requests per second
	invocations map[string]*ring[*Invocation]
	subs        map[chan struct{}]struct{}
}

// NewRecorder returns a recorder keeping traces up to traceBytes and
// maxInvocations invocations per function (defaults when <= 0).
func NewRecorder(traceBytes, maxInvocations int) *Recorder {
	if traceBytes <= 0 {
		traceBytes = DefaultTraceBytes
	}
	if maxInvocations <= 0 {
		maxInvocations = DefaultMaxInvocations
	}
	return &Recorder{maxInvocations: maxInvocations, traces: &traceLog{max: traceBytes},
		pages: map[string]*Page{}, pageOrder: newRing[string](maxPages),
		invocations: map[string]*ring[*Invocation]{}, subs: map[chan struct{}]struct{}{}}
}

// invocationOf copies what the console shows of a Lambda result; the
// payload is left behind, the log cut to its tail.
func invocationOf(function string, res *lambda.Result, end time.Time) *Invocation {
	log := res.Log
	if len(log) > maxLogBytes {
		// Clone, so the ring does not pin the whole original log.
		log = strings.Clone(log[len(log)-maxLogBytes:])
	}
	return &Invocation{Function: function, RequestID: res.RequestID, APIGWRequestID: res.CallerRequestID,
		Instance: res.Instance, PID: res.PID, Cold: res.Cold, Start: end.Add(-res.Duration),
		DurationMs: ms(res.Duration), QueuedMs: ms(res.Queued), ErrorType: res.ErrorType, TimedOut: res.TimedOut, Log: log}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// RecordInvocation records a finished Lambda invocation; it has the shape
// of lambda.Options.OnInvoke.
func (r *Recorder) RecordInvocation(function string, res *lambda.Result) {
	inv := invocationOf(function, res, time.Now())
	r.mu.Lock()
	rg, ok := r.invocations[function]
	if !ok {
		rg = newRing[*Invocation](r.maxInvocations)
		r.invocations[function] = rg
	}
	rg.add(inv)
	r.notifyLocked()
	r.mu.Unlock()
}

// RecordTrace records an answered execute-api request; it has the shape of
// apigateway.Options.OnTrace.
func (r *Recorder) RecordTrace(tr *apigateway.Trace) {
	t := &Trace{Service: "apigateway", APIGWRequestID: tr.RequestID, ClientRequestID: tr.ClientRequestID, Time: tr.Start, APIID: tr.APIID, APIName: tr.APIName, Kind: tr.Kind,
		Method: tr.Method, Path: tr.Path, Stage: tr.Stage, RouteKey: tr.RouteKey, PathParams: tr.PathParams, PayloadVersion: tr.PayloadVersion,
		Function: apigateway.FunctionOf(tr.Function), Status: tr.Status, Error: tr.Error,
		RoutingMs: ms(tr.Routing), IntegrationMs: ms(tr.Integration), TotalMs: ms(tr.Total)}
	if tr.Integration > 0 {
		t.ResponseMs = ms(tr.Total - tr.Routing - tr.Integration)
	}
	if tr.Lambda != nil {
		t.Lambda = invocationOf(t.Function, tr.Lambda, tr.Start.Add(tr.Routing+tr.Integration))
	}
	for _, m := range servertiming.Parse([]string{tr.ServerTiming}) {
		switch m.Name {
		case servertiming.Fn:
			t.FunctionMs = ms(m.Dur)
		case servertiming.DB:
			t.DBMs, t.HasDB = ms(m.Dur), true
		}
	}
	r.add(t, true)
}

// RecordS3 records an answered S3 API call; it has the shape of the S3
// service's OnRequest.
func (r *Recorder) RecordS3(q s3.Request) {
	path := "/" + q.Bucket
	if q.Key != "" {
		path += "/" + q.Key
	}
	r.add(&Trace{Service: "s3", APIGWRequestID: q.RequestID, Operation: q.Op, Bucket: q.Bucket, Key: q.Key,
		Time: q.Start, Kind: "S3", Method: q.Method, Path: path, Status: q.Status, Error: q.Error,
		TotalMs: ms(q.Duration)}, false)
}

// add stores a trace; execute-api requests count in the request rate.
func (r *Recorder) add(t *Trace, counted bool) {
	r.mu.Lock()
	r.seq++
	t.Seq = r.seq
	r.traces.add(t)
	if counted {
		r.rate.add(t.Time)
	}
	r.notifyLocked()
	r.mu.Unlock()
}

// RecordPage records a page view the web app served, so the console can
// show the app's own time above the page's data-API calls.
func (r *Recorder) RecordPage(p Page) {
	if p.RequestID == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pageOrder.buf) == cap(r.pageOrder.buf) {
		delete(r.pages, r.pageOrder.buf[r.pageOrder.next])
	}
	r.pageOrder.add(p.RequestID)
	r.pages[p.RequestID] = &p
	r.notifyLocked()
}

// page returns the recorded page view with this request id, or nil.
func (r *Recorder) page(id string) *Page {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pages[id]
}

// Traces returns the recorded traces, newest first. The traces are shared:
// callers must not modify them.
func (r *Recorder) Traces() []*Trace {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.traces.newestFirst()
}

// RequestsPerSecond is the execute-api request rate over the last five
// whole seconds before now.
func (r *Recorder) RequestsPerSecond(now time.Time) float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rate.perSecond(now)
}

// Invocations returns a function's recorded invocations, newest first.
func (r *Recorder) Invocations(function string) []*Invocation {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rg, ok := r.invocations[function]; ok {
		return rg.newestFirst()
	}
	return nil
}

// Seq is the sequence number of the latest trace.
func (r *Recorder) Seq() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seq
}

// Forget drops the invocations of functions not in keep (deleted ones).
func (r *Recorder) Forget(keep map[string]bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name := range r.invocations {
		if !keep[name] {
			delete(r.invocations, name)
		}
	}
}

// Reset forgets every trace and invocation, as the emulator's reset
// empties every service.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.traces = &traceLog{max: r.traces.max}
	r.pages, r.pageOrder = map[string]*Page{}, newRing[string](maxPages)
	r.rate = rateCounter{}
	r.invocations = map[string]*ring[*Invocation]{}
	r.notifyLocked()
}

// subscribe returns a channel that receives a value (coalesced) after
// each change.
func (r *Recorder) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	r.subs[ch] = struct{}{}
	r.mu.Unlock()
	return ch
}

func (r *Recorder) unsubscribe(ch chan struct{}) {
	r.mu.Lock()
	delete(r.subs, ch)
	r.mu.Unlock()
}

// notify wakes the live pages after a change outside the recorder (a
// drill run from the console).
func (r *Recorder) notify() {
	r.mu.Lock()
	r.notifyLocked()
	r.mu.Unlock()
}

// notifyLocked wakes the live pages without blocking: a full channel
// already has a wake-up pending. Callers hold mu.
func (r *Recorder) notifyLocked() {
	for ch := range r.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

package console

import (
	"strings"
	"sync"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
)

// Bounds on what the recorder keeps, so memory stays small however long
// the emulator runs: ~200 traces and ~50 invocations per function, each
// with at most maxLogBytes of log.
const (
	DefaultMaxTraces      = 200
	DefaultMaxInvocations = 50
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

// Trace is one recorded execute-api request with its hops.
type Trace struct {
	// Seq numbers traces in arrival order; the page uses it to mark new ones.
	Seq            int64     `json:"seq"`
	APIGWRequestID string    `json:"apigwRequestId"`
	Time           time.Time `json:"time"`
	APIID          string    `json:"apiId"`
	APIName        string    `json:"apiName"`
	Kind           string    `json:"kind"`
	Method         string    `json:"method"`
	Path           string    `json:"path"`
	Stage          string    `json:"stage"`
	RouteKey       string    `json:"routeKey"`
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
	// Lambda is the invocation behind the request; nil when no function
	// answered in time.
	Lambda *Invocation `json:"lambda,omitempty"`
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
	traces      *ring[*Trace]
	rate        rateCounter // execute-api requests per second
	invocations map[string]*ring[*Invocation]
	subs        map[chan struct{}]struct{}
}

// NewRecorder returns a recorder keeping maxTraces traces and
// maxInvocations invocations per function (defaults when <= 0).
func NewRecorder(maxTraces, maxInvocations int) *Recorder {
	if maxTraces <= 0 {
		maxTraces = DefaultMaxTraces
	}
	if maxInvocations <= 0 {
		maxInvocations = DefaultMaxInvocations
	}
	return &Recorder{maxInvocations: maxInvocations, traces: newRing[*Trace](maxTraces),
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
	t := &Trace{APIGWRequestID: tr.RequestID, Time: tr.Start, APIID: tr.APIID, APIName: tr.APIName, Kind: tr.Kind,
		Method: tr.Method, Path: tr.Path, Stage: tr.Stage, RouteKey: tr.RouteKey, PathParams: tr.PathParams, PayloadVersion: tr.PayloadVersion,
		Function: apigateway.FunctionOf(tr.Function), Status: tr.Status, Error: tr.Error,
		RoutingMs: ms(tr.Routing), IntegrationMs: ms(tr.Integration), TotalMs: ms(tr.Total)}
	if tr.Integration > 0 {
		t.ResponseMs = ms(tr.Total - tr.Routing - tr.Integration)
	}
	if tr.Lambda != nil {
		t.Lambda = invocationOf(t.Function, tr.Lambda, tr.Start.Add(tr.Routing+tr.Integration))
	}
	r.mu.Lock()
	r.seq++
	t.Seq = r.seq
	r.traces.add(t)
	r.rate.add(tr.Start)
	r.notifyLocked()
	r.mu.Unlock()
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
	r.traces = newRing[*Trace](cap(r.traces.buf))
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

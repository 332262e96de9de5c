// One invocation: its identity and log, and its run on an instance from the
// pool: admission, hand-off to the runtime, waiting for the outcome, and the
// START/END/REPORT lines around it.

package lambda

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
)

// initTimeout bounds a runtime's init phase (AWS allows 10 s).
const initTimeout = 10 * time.Second

// invocation is one request travelling through an instance.
type invocation struct {
	id        string
	traceID   string
	payload   []byte
	deadline  time.Time
	delivered chan struct{}
	done      chan invokeResult
	once      sync.Once
	result    invokeResult

	logMu sync.Mutex
	log   strings.Builder
}

type invokeResult struct {
	payload []byte
	err     *FunctionError
}

func newInvocation(payload []byte) *invocation {
	return &invocation{
		id:        newRequestID(),
		traceID:   "Root=1-" + fmt.Sprintf("%08x", time.Now().Unix()) + "-" + randomHex(12) + ";Sampled=0",
		payload:   payload,
		delivered: make(chan struct{}),
		done:      make(chan invokeResult, 1),
	}
}

func (inv *invocation) finish(r invokeResult) {
	inv.once.Do(func() { inv.done <- r })
}

func (inv *invocation) appendLog(line string) {
	inv.logMu.Lock()
	defer inv.logMu.Unlock()
	inv.log.WriteString(line)
	inv.log.WriteByte('\n')
}

func (inv *invocation) logText() string {
	inv.logMu.Lock()
	defer inv.logMu.Unlock()
	return inv.log.String()
}

// Invoke runs the function synchronously with the payload, as a

func (fn *function) invoke(ctx context.Context, payload []byte) (*Result, error) {
	fn.mu.Lock()
	state, timeout := fn.state, time.Duration(fn.timeout)*time.Second
	fn.mu.Unlock()
	if state != StateActive {
		return nil, awserr.New(http.StatusConflict, awserr.ResourceConflict,
			"The operation cannot be performed at this time. The function is currently in the following state: "+state)
	}
	done, err := fn.svc.admit(fn)
	if err != nil {
		fn.svc.log.Warn("lambda invocation throttled", "function", fn.name, "err", err)
		return nil, err
	}
	defer done()
	start := time.Now()
	inv := newInvocation(payload)
	res := &Result{RequestID: inv.id}
	res.CallerRequestID, _ = ctx.Value(callerKey{}).(string)
	inv.appendLog(fmt.Sprintf("START RequestId: %s Version: %s", inv.id, fn.versionLabel()))
	// Waiting for an instance is bounded by the function's timeout (as if
	// it had run that long) and by the caller giving up (API Gateway's
	// integration timeout).
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	in, queued, err := fn.acquire(waitCtx)
	cancel()
	res.Queued = queued
	if err != nil {
		if fe, ok := err.(*FunctionError); ok {
			fn.fail(res, inv, fe)
			return fn.finishResult(res, inv, start), nil
		}
		if ctx.Err() == nil && waitCtx.Err() != nil {
			res.TimedOut = true
			fn.fail(res, inv, timeoutError(inv, timeout))
			return fn.finishResult(res, inv, start), nil
		}
		return nil, err
	}
	res.Instance, res.PID = in.id, in.info().PID
	res.Cold = in.begin(inv)
	fe, timedOut := in.run(inv, timeout)
	in.measure(res)
	if timedOut {
		res.TimedOut = true
	}
	if fe != nil {
		fn.fail(res, inv, fe)
		in.stop() // a failed environment is not reused, as on AWS after a crash or timeout
	} else {
		res.Payload = inv.result.payload
		if inv.result.err != nil {
			fn.fail(res, inv, inv.result.err)
		}
		fn.release(in)
	}
	return fn.finishResult(res, inv, start), nil
}

func (fn *function) fail(res *Result, inv *invocation, fe *FunctionError) {
	res.FunctionError, res.ErrorType, res.Payload = "Unhandled", fe.Type, fe.Payload()
	if fe.raw == nil {
		inv.appendLog(fmt.Sprintf("%s %s", time.Now().UTC().Format(time.RFC3339Nano), fe.Message))
	}
}

func (fn *function) finishResult(res *Result, inv *invocation, start time.Time) *Result {
	res.Duration = time.Since(start)
	fn.mu.Lock()
	memory := fn.memory
	fn.mu.Unlock()
	inv.appendLog(fmt.Sprintf("END RequestId: %s", inv.id))
	inv.appendLog(reportLine(inv.id, res, memory))
	res.Log = inv.logText()
	fn.svc.log.Info("lambda invocation", "function", fn.name, "request_id", inv.id, "instance", res.Instance,
		"duration_ms", res.Duration.Milliseconds(), "queued_ms", res.Queued.Milliseconds(), "error", res.ErrorType)
	if fn.svc.onInvoke != nil {
		fn.svc.onInvoke(fn.name, res)
	}
	return res
}

// begin marks the instance busy with inv and reports whether this is its
// first invocation (a cold start).
func (in *instance) begin(inv *invocation) (cold bool) {
	in.mu.Lock()
	cold = in.invocations == 0
	in.busy = true
	in.invocations++
	in.logTo = inv
	in.mu.Unlock()
	return cold
}

// run hands inv to the instance and waits for its outcome. It returns a
// FunctionError for failures of the environment (crash, init error,
// timeout); the function's own result or error report is in inv.result.
func (in *instance) run(inv *invocation, timeout time.Duration) (*FunctionError, bool) {
	in.pending <- inv
	initTimer := time.NewTimer(initTimeout)
	defer initTimer.Stop()
	select {
	case <-inv.delivered:
	case fe := <-in.initErr:
		return fe, false
	case <-in.exited:
		// A runtime reports its init error, then exits.
		select {
		case fe := <-in.initErr:
			return fe, false
		default:
		}
		return in.exitError(inv), false
	case <-initTimer.C:
		return timeoutError(inv, initTimeout), true
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-inv.done:
		inv.result = r
		return nil, false
	case <-in.exited:
		// The process may have posted its response just before exiting.
		select {
		case r := <-inv.done:
			inv.result = r
			return nil, false
		default:
		}
		return in.exitError(inv), false
	case <-timer.C:
		return timeoutError(inv, timeout), true
	}
}

func (in *instance) exitError(inv *invocation) *FunctionError {
	status := "signal: killed"
	if in.cmd != nil && in.cmd.ProcessState != nil {
		status = in.cmd.ProcessState.String()
	}
	return &FunctionError{Type: "Runtime.ExitError",
		Message: fmt.Sprintf("RequestId: %s Error: Runtime exited with error: %s", inv.id, status)}
}

func timeoutError(inv *invocation, d time.Duration) *FunctionError {
	return &FunctionError{Type: "Sandbox.Timedout",
		Message: fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.id, d.Seconds())}
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

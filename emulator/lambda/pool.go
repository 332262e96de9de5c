// The warm pool of a function's instances: reusing an idle one, starting one
// under the emulator's cap, queueing in arrival order over it, and taking
// stopped ones out.

package lambda

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
)

// waiter is an invocation queued for an instance. It receives exactly one
// grant: a warm instance that is now its own, or nil, meaning a slot under
// the instance cap was reserved for it (fn.starting counts it) and it may
// start a new instance.
type waiter struct {
	ch chan *instance
}

// acquire returns a warm idle instance of the current code, or starts a
// new one while the function has fewer live processes than the emulator
// allows; otherwise it queues until an instance frees up, in arrival
// order, or ctx ends. The cap is a resource limit of the emulator, not a
// throttle: AWS would have scaled out.
func (fn *function) acquire(ctx context.Context) (_ *instance, queued time.Duration, _ error) {
	fn.mu.Lock()
	if fn.closed {
		fn.mu.Unlock()
		return nil, 0, errFunctionGone(fn.name)
	}
	var stale []*instance
	for len(fn.idle) > 0 && len(fn.waiters) == 0 {
		in := fn.idle[len(fn.idle)-1]
		fn.idle = fn.idle[:len(fn.idle)-1]
		if in.gen == fn.gen && !in.hasExited() {
			fn.mu.Unlock()
			stopAll(stale)
			return in, 0, nil
		}
		// Out of the pool now, so its slot counts as free at once.
		delete(fn.instances, in)
		stale = append(stale, in)
	}
	if len(fn.waiters) == 0 && fn.liveLocked() < fn.svc.maxInstances {
		fn.starting++
		fn.mu.Unlock()
		stopAll(stale)
		in, err := fn.start()
		return in, 0, err
	}
	w := &waiter{ch: make(chan *instance, 1)}
	fn.waiters = append(fn.waiters, w)
	fn.mu.Unlock()
	stopAll(stale)
	since := time.Now()
	select {
	case in := <-w.ch:
		queued = time.Since(since)
		if in != nil {
			return in, queued, nil
		}
		in, err := fn.start()
		return in, queued, err
	case <-ctx.Done():
	}
	queued = time.Since(since)
	fn.mu.Lock()
	if i := slices.Index(fn.waiters, w); i >= 0 {
		fn.waiters = slices.Delete(fn.waiters, i, i+1)
		fn.mu.Unlock()
		return nil, queued, ctx.Err()
	}
	fn.mu.Unlock()
	// A grant raced with the deadline: pass it on.
	if in := <-w.ch; in != nil {
		fn.release(in)
	} else {
		fn.mu.Lock()
		fn.starting--
		fn.grantSlotLocked()
		fn.mu.Unlock()
	}
	return nil, queued, ctx.Err()
}

// start starts an instance in a slot already counted in fn.starting.
func (fn *function) start() (*instance, error) {
	fn.mu.Lock()
	if fn.closed {
		fn.starting--
		fn.mu.Unlock()
		return nil, errFunctionGone(fn.name)
	}
	fn.mu.Unlock()
	in, err := fn.startInstance()
	fn.mu.Lock()
	defer fn.mu.Unlock()
	fn.starting--
	if err != nil {
		fn.grantSlotLocked()
		return nil, err
	}
	fn.instances[in] = struct{}{}
	fn.coldStarts++
	fn.peak = max(fn.peak, len(fn.instances))
	return in, nil
}

// release hands a healthy instance to the first queued invocation, or
// returns it to the warm pool.
func (fn *function) release(in *instance) {
	in.mu.Lock()
	in.busy = false
	in.used = time.Now()
	in.mu.Unlock()
	fn.mu.Lock()
	if _, live := fn.instances[in]; live && in.gen == fn.gen && !in.hasExited() && !fn.closed {
		if len(fn.waiters) > 0 {
			w := fn.waiters[0]
			fn.waiters = fn.waiters[1:]
			w.ch <- in
		} else {
			fn.idle = append(fn.idle, in)
		}
		fn.mu.Unlock()
		return
	}
	fn.mu.Unlock()
	in.stop()
}

// liveLocked counts the function's processes, running or starting.
// Callers hold fn.mu.
func (fn *function) liveLocked() int {
	return len(fn.instances) + fn.starting
}

// grantSlotLocked lets the first queued invocation start an instance if
// the cap allows one more. Callers hold fn.mu.
func (fn *function) grantSlotLocked() {
	if len(fn.waiters) == 0 || fn.liveLocked() >= fn.svc.maxInstances {
		return
	}
	w := fn.waiters[0]
	fn.waiters = fn.waiters[1:]
	fn.starting++
	w.ch <- nil
}

func stopAll(ins []*instance) {
	for _, in := range ins {
		in.stop()
	}
}

func errFunctionGone(name string) error {
	return awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "Function not found: "+name)
}

// to the first queued invocation.
func (fn *function) removeInstance(in *instance) {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	delete(fn.instances, in)
	for i, idle := range fn.idle {
		if idle == in {
			fn.idle = append(fn.idle[:i], fn.idle[i+1:]...)
			break
		}
	}
	fn.grantSlotLocked()
}

func (fn *function) instanceInfos() []InstanceInfo {
	fn.mu.Lock()
	all := make([]*instance, 0, len(fn.instances))
	for in := range fn.instances {
		all = append(all, in)
	}
	fn.mu.Unlock()
	infos := make([]InstanceInfo, 0, len(all))
	for _, in := range all {
		infos = append(infos, in.info())
	}
	return infos
}

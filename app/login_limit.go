package app

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// The app's own limit on failed logins per browser address. The data
// service limits failed logins per client address too, but every login
// through the app reaches it from the app's address; without this one
// browser could spend that shared budget and lock everybody out of
// logging in through the app.
const (
	browserLoginFailures = 20
	browserLoginWindow   = 15 * time.Minute
	// maxTrackedBrowsers bounds the limiter's memory; past it, expired
	// entries are dropped, and if none are, all of them (failing open
	// rather than growing without end).
	maxTrackedBrowsers = 10000
)

// loginLimiter counts failed logins per browser address in this process
// (each replica counts its own): at most max failures in a window that
// starts with the first one. It is safe for concurrent use.
type loginLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string]*loginFailures
}

type loginFailures struct {
	n     int
	first time.Time
}

func newLoginLimiter(max int, window time.Duration) *loginLimiter {
	return &loginLimiter{max: max, window: window, fails: map[string]*loginFailures{}}
}

// wait returns how long addr must wait before its next login attempt (0:
// it may try now).
func (l *loginLimiter) wait(addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[addr]
	if f == nil || f.n < l.max {
		return 0
	}
	if left := f.first.Add(l.window).Sub(now); left > 0 {
		return left
	}
	delete(l.fails, addr)
	return 0
}

// failed records a failed login from addr.
func (l *loginLimiter) failed(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[addr]
	if f == nil || now.Sub(f.first) >= l.window {
		if len(l.fails) >= maxTrackedBrowsers {
			l.prune(now)
		}
		f = &loginFailures{first: now}
		l.fails[addr] = f
	}
	f.n++
}

// prune drops expired entries, or every entry if none has expired.
func (l *loginLimiter) prune(now time.Time) {
	for k, f := range l.fails {
		if now.Sub(f.first) >= l.window {
			delete(l.fails, k)
		}
	}
	if len(l.fails) >= maxTrackedBrowsers {
		clear(l.fails)
	}
}

// browserAddr is the address the request came from, without the port. A
// load balancer in front of the app makes this its own address; the app
// does not trust X-Forwarded-For, which any client can send.
func browserAddr(r *http.Request) string {
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

package app

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestFailedLoginsAreLimitedPerBrowser: every login through the app
// reaches the data service from the app's address, which the data
// service's per-client limit counts as one client. The app therefore
// stops one browser after browserLoginFailures failures before it can
// spend that shared budget; other browsers still get through.
func TestFailedLoginsAreLimitedPerBrowser(t *testing.T) {
	var calls atomic.Int64
	data := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":{"code":"unauthorized","message":"the email or password is incorrect"}}`))
	}))
	defer data.Close()
	a := newTestAppWith(t, data.URL)
	login := func(addr string) *httptest.ResponseRecorder {
		form := url.Values{"email": {"someone@example.test"}, "password": {"guess"}}
		req := httptest.NewRequest(http.MethodPost, "http://app.test/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = addr
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		return w
	}
	for i := range browserLoginFailures {
		if w := login("198.51.100.4:1111"); w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i, w.Code)
		}
	}
	w := login("198.51.100.4:2222")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" ||
		!strings.Contains(w.Body.String(), "Too many failed attempts from your connection") {
		t.Fatalf("after %d failures: status %d, Retry-After %q", browserLoginFailures, w.Code, w.Header().Get("Retry-After"))
	}
	if n := calls.Load(); n != browserLoginFailures {
		t.Errorf("the data API was asked %d times, want %d", n, browserLoginFailures)
	}
	if w := login("203.0.113.8:1"); w.Code != http.StatusUnauthorized {
		t.Errorf("another browser: status %d", w.Code)
	}
}

func TestLoginLimiterWindowAndMemory(t *testing.T) {
	l := newLoginLimiter(2, time.Minute)
	now := time.Unix(1000, 0)
	l.failed("a", now)
	l.failed("a", now.Add(time.Second))
	if w := l.wait("a", now.Add(2*time.Second)); w != 58*time.Second {
		t.Errorf("wait = %v, want 58s", w)
	}
	if w := l.wait("a", now.Add(time.Minute)); w != 0 {
		t.Errorf("after the window: wait %v", w)
	}
	for i := range maxTrackedBrowsers + 5 {
		l.failed(strings.Repeat("x", i%7)+string(rune('a'+i%26))+time.Duration(i).String(), now)
	}
	if n := len(l.fails); n > maxTrackedBrowsers {
		t.Errorf("%d addresses tracked, want at most %d", n, maxTrackedBrowsers)
	}
}

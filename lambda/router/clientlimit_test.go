package router_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/password"
	"github.com/coolroom/testbed/lambda/service"
)

// TestLoginLimitPerClient: the lock-out used to be per email only, so one
// client could spray guesses across any number of emails. Failures are
// now also counted per client address (API Gateway's sourceIp, which the
// adapter puts in RemoteAddr; an IPv6 /64 counts as one client), and a
// spent address is refused — even with the right password — while other
// addresses log in as usual. Successes do not count.
func TestLoginLimitPerClient(t *testing.T) {
	t.Parallel()
	s := newServerOpts(t, service.Options{ClientLogin: service.LoginPolicy{MaxFailures: 4, Window: time.Minute, LockFor: time.Minute}}, password.Fast)
	s.register(t, "alice")
	login := func(addr, email, pw string) response {
		req := httptest.NewRequest("POST", "/sessions", strings.NewReader(`{"email":"`+email+`","password":"`+pw+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr
		w := httptest.NewRecorder()
		s.handler.ServeHTTP(w, req)
		return response{status: w.Code, header: w.Header(), body: w.Body.Bytes()}
	}
	const right = "a-Good-passphrase-1"

	for i := range 10 {
		if r := login("192.0.2.5", "alice@example.test", right); r.status != 200 {
			t.Fatalf("success %d from one address: %d %s", i, r.status, r.body)
		}
	}
	spray := func(addr string) {
		t.Helper()
		for i := range 4 { // one guess per email: no account reaches its own limit
			if r := login(addr, fmt.Sprintf("victim%d@example.test", i), "guess"); r.status != 401 {
				t.Fatalf("guess %d from %s: %d %s", i, addr, r.status, r.body)
			}
		}
	}
	spray("203.0.113.7:5555")
	r := login("203.0.113.7:6666", "alice@example.test", right)
	r.checkError(t, 429, contract.CodeTooManyAttempts, nil)
	if r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "network address") {
		t.Errorf("locked client: Retry-After %q, body %s", r.header.Get("Retry-After"), r.body)
	}
	if r := login("198.51.100.2:1", "alice@example.test", right); r.status != 200 {
		t.Errorf("another address: %d %s", r.status, r.body)
	}
	// The accounts the spray touched are not locked for others.
	if r := login("198.51.100.2:1", "victim0@example.test", "guess"); r.status != 401 {
		t.Errorf("a sprayed email from elsewhere: %d %s", r.status, r.body)
	}

	spray("[2001:db8::1]:1")
	login("[2001:db8::2]:1", "alice@example.test", right).checkError(t, 429, contract.CodeTooManyAttempts, nil)
	if r := login("[2001:db8:0:1::1]:1", "alice@example.test", right); r.status != 200 {
		t.Errorf("another /64: %d %s", r.status, r.body)
	}
	// A successful client that starts failing is limited the same way.
	spray("192.0.2.5")
	login("192.0.2.5", "alice@example.test", right).checkError(t, 429, contract.CodeTooManyAttempts, nil)
}

package router_test

import (
	"net/http"
	"testing"

	"github.com/coolroom/testbed/internal/servertiming"
)

// TestServerTimingReportsHandlerAndDatabase: every answer says how long
// the handler took and how much of it PostgreSQL did, which is how the
// app (and `coolroom load`) tell the hops apart.
func TestServerTimingReportsHandlerAndDatabase(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for _, path := range []string{"/rooms", "/no-such-route"} {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := map[string]float64{}
		for _, m := range servertiming.Parse(resp.Header.Values(servertiming.Header)) {
			got[m.Name] = m.Dur.Seconds()
		}
		_, hasFn := got[servertiming.Fn]
		_, hasDB := got[servertiming.DB]
		if !hasFn || !hasDB || got[servertiming.Fn] < got[servertiming.DB] {
			t.Errorf("GET %s: Server-Timing %q, want fn ≥ db", path, resp.Header.Get(servertiming.Header))
		}
		if path == "/rooms" && got[servertiming.DB] <= 0 {
			t.Errorf("GET /rooms queried PostgreSQL but reports db %v", got[servertiming.DB])
		}
		if path != "/rooms" && got[servertiming.DB] != 0 {
			t.Errorf("GET %s touched no database but reports db %v", path, got[servertiming.DB])
		}
	}
}

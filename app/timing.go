package app

import (
	"net/http"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/internal/servertiming"
)

// timePages adds a Server-Timing header to every page: the app's own time
// and each data-API call's round trip with the handler and PostgreSQL time
// the data service reported for it. `coolroom load` builds its per-hop
// table from it; a browser's developer tools show it too. It runs inside
// logRequests, whose context collects the calls; a page has made its calls
// by the time it writes its status.
func timePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls := dataapi.CallsFrom(r.Context())
		if calls == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		next.ServeHTTP(&servertiming.Writer{ResponseWriter: w, Metrics: func() []servertiming.Metric {
			return calls.Timing(time.Since(start))
		}}, r)
	})
}

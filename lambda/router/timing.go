package router

import (
	"net/http"
	"time"

	"github.com/coolroom/testbed/internal/servertiming"
)

// timeRequests adds a Server-Timing header to every answer: the handler's
// time (fn) and the part of it spent waiting on PostgreSQL (db, added up by
// the store's query tracer). API Gateway passes it through to the app,
// which reports where each page's time went.
func timeRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, clock := servertiming.WithClock(r.Context())
		start := time.Now()
		next.ServeHTTP(&servertiming.Writer{ResponseWriter: w, Metrics: func() []servertiming.Metric {
			return []servertiming.Metric{{Name: servertiming.Fn, Dur: time.Since(start)}, {Name: servertiming.DB, Dur: clock.Total()}}
		}}, r.WithContext(ctx))
	})
}

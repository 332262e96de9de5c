package httpapi

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
		next.ServeHTTP(&timingWriter{ResponseWriter: w, start: time.Now(), clock: clock}, r.WithContext(ctx))
	})
}

// timingWriter sets the header when the status is written, the last moment
// headers can change; the body's encoding is not counted.
type timingWriter struct {
	http.ResponseWriter
	start   time.Time
	clock   *servertiming.Clock
	written bool
}

func (w *timingWriter) stamp() {
	if w.written {
		return
	}
	w.written = true
	w.Header().Set(servertiming.Header, servertiming.Format([]servertiming.Metric{
		{Name: servertiming.Fn, Dur: time.Since(w.start)}, {Name: servertiming.DB, Dur: w.clock.Total()}}))
}

func (w *timingWriter) WriteHeader(code int) {
	w.stamp()
	w.ResponseWriter.WriteHeader(code)
}

func (w *timingWriter) Write(b []byte) (int, error) {
	w.stamp()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *timingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

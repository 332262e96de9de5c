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
// logRequests, whose context collects the calls.
func timePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls := dataapi.CallsFrom(r.Context())
		if calls == nil {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&pageTimingWriter{ResponseWriter: w, start: time.Now(), calls: calls}, r)
	})
}

// pageTimingWriter sets the header when the status is written: a page has
// made its calls by then, and headers cannot change afterwards.
type pageTimingWriter struct {
	http.ResponseWriter
	start   time.Time
	calls   *dataapi.Calls
	written bool
}

func (w *pageTimingWriter) stamp() {
	if !w.written {
		w.written = true
		w.Header().Set(servertiming.Header, servertiming.Format(w.calls.Timing(time.Since(w.start))))
	}
}

func (w *pageTimingWriter) WriteHeader(code int) {
	w.stamp()
	w.ResponseWriter.WriteHeader(code)
}

func (w *pageTimingWriter) Write(b []byte) (int, error) {
	w.stamp()
	return w.ResponseWriter.Write(b)
}

// Flush passes through for streamed answers.
func (w *pageTimingWriter) Flush() {
	w.stamp()
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *pageTimingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

package app

import "net/http"

// maxFormBytes bounds a posted text form; the data service enforces its
// own, smaller per-field limits.
const maxFormBytes = 64 << 10

// correctFields heads a form that came back with a message per field.
const correctFields = "Please correct the highlighted fields."

// parseSmallForm parses a URL-encoded form of at most maxFormBytes into
// r.PostForm; false means it was too large or malformed.
func parseSmallForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	return r.ParseForm() == nil
}

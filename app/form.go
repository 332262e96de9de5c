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

// formTooLarge is what a post over maxFormBytes gets back: the page's
// title and message.
type formTooLarge struct{ title, message string }

// The two wordings of a post that was too large.
var (
	tooLargeForm    = formTooLarge{"Form too large", "The form was larger than this page accepts."}
	tooLargeMessage = formTooLarge{"Message too long", "The message was larger than this page accepts."}
)

// readSmallForm parses a posted form (see parseSmallForm); one that is
// too large gets the 413 page worded by tooLarge, and false.
func (a *App) readSmallForm(w http.ResponseWriter, r *http.Request, tooLarge formTooLarge) bool {
	if parseSmallForm(w, r) {
		return true
	}
	a.renderError(w, r, http.StatusRequestEntityTooLarge, tooLarge.title, tooLarge.message)
	return false
}

// postTo reads a post to the thing of the path {id}: its id and its form.
// It answers itself when it returns false: 404 for a bad id, 413 (worded
// by tooLarge) for a form too large.
func (a *App) postTo(w http.ResponseWriter, r *http.Request, tooLarge formTooLarge) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return 0, false
	}
	return id, a.readSmallForm(w, r, tooLarge)
}

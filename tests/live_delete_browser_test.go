package tests

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestBrowserLiveFeedDropsDeletedMessages: a message its author deletes
// leaves the room page another user has open, without a reload; the
// others stay, and new ones still arrive.
func TestBrowserLiveFeedDropsDeletedMessages(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	ann := registered(t, st.AppURL, "ann")
	room := ann.createRoom("Regrets "+uniqueName("r"), "Deleting", "")
	keep := ann.postMessage(room, "this one stays")
	gone := ann.postMessage(room, "this one I take back")

	browser := browsertest.Tab(t, 1200, 900)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	browsertest.Steps(t, ctx, "a visitor opens the room",
		chromedp.Navigate(fmt.Sprintf("%s/room/%d", st.AppURL, room)),
		browsertest.WaitFor(fmt.Sprintf(`document.getElementById("message-%d") !== null`, gone), 15*time.Second))

	ann.deleteMessage(gone)
	later := ann.postMessage(room, "and this is new")
	browsertest.Steps(t, ctx, "the deleted message leaves the open page",
		browsertest.WaitFor(fmt.Sprintf(`document.getElementById("message-%d") === null && document.getElementById("message-%d") !== null && document.getElementById("message-%d") !== null`, gone, keep, later), 15*time.Second))

	// A delete with nothing new after it shows too.
	ann.deleteMessage(later)
	browsertest.Steps(t, ctx, "the newest message, deleted, leaves too",
		browsertest.WaitFor(fmt.Sprintf(`document.getElementById("message-%d") === null && document.getElementById("message-%d") !== null`, later, keep), 15*time.Second))
}

// deleteMessage deletes one of v's messages through the app's form.
func (v *visitor) deleteMessage(id int64) {
	v.t.Helper()
	resp := v.post(fmt.Sprintf("/delete-message/%d", id), nil)
	readAll(v.t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		v.t.Fatalf("delete message %d = %d", id, resp.StatusCode)
	}
}

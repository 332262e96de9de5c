package tests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOwnerOnlyChanges checks each rule twice: the page refuses (and the
// UI hides the control), and a forged POST straight to the action is
// refused by the data service.
func TestOwnerOnlyChanges(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	host := registered(t, st.AppURL, "owner")
	other := registered(t, st.AppURL, "intruder")
	room := host.createRoom("Owned room", "Ownership", "Only the host may change this")
	msg := host.postMessage(room, "host's own words")
	otherMsg := other.postMessage(room, "intruder's words")
	roomPath := fmt.Sprintf("/room/%d", room)

	forbidden := func(t *testing.T, resp *http.Response) {
		t.Helper()
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s = %d, want 403", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode)
		}
		if got := doc.Find("h1").Text(); got != "Not allowed" {
			t.Errorf("403 page heading %q", got)
		}
	}

	t.Run("update room", func(t *testing.T) {
		forbidden(t, other.get(fmt.Sprintf("/update-room/%d", room)))
		forbidden(t, other.post(fmt.Sprintf("/update-room/%d", room), url.Values{"name": {"Hijacked"}, "topic": {"Ownership"}}))
		doc := host.page(roomPath, http.StatusOK)
		if got := doc.Find("#room-title").Text(); got != "Owned room" {
			t.Fatalf("room renamed to %q by another user", got)
		}
		// The host's form is prefilled, with a datalist of topics.
		doc = host.page(fmt.Sprintf("/update-room/%d", room), http.StatusOK)
		if v, _ := doc.Find("#name").Attr("value"); v != "Owned room" {
			t.Errorf("name field %q", v)
		}
		if v, _ := doc.Find("#topic").Attr("value"); v != "Ownership" {
			t.Errorf("topic field %q", v)
		}
		if doc.Find(`#topic-list option[value="Ownership"]`).Length() != 1 {
			t.Error("existing topic missing from the datalist")
		}
		newTopic := "Brand new " + uniqueName("topic")
		resp := host.post(fmt.Sprintf("/update-room/%d", room), url.Values{"name": {"Owned room, renamed"}, "topic": {newTopic}, "description": {"changed"}})
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != roomPath {
			t.Fatalf("host update = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		doc = host.page(roomPath, http.StatusOK)
		if doc.Find("#room-title").Text() != "Owned room, renamed" || doc.Find(".room-head .topic-tag").Text() != newTopic {
			t.Errorf("after update: %q in %q", doc.Find("#room-title").Text(), doc.Find(".room-head .topic-tag").Text())
		}
		if got := doc.Find(".flash-success").Text(); got != "Room updated." {
			t.Errorf("flash %q", got)
		}
		doc = host.page("/topics?q="+url.QueryEscape(newTopic), http.StatusOK)
		li := doc.Find(".topic-list li").First()
		if li.Find(".topic-name").Text() != newTopic || li.Find(".count").Text() != "1" {
			t.Errorf("new topic listed as %q", squeeze(li.Text()))
		}
	})

	t.Run("delete message", func(t *testing.T) {
		forbidden(t, other.get(fmt.Sprintf("/delete-message/%d", msg)))
		forbidden(t, other.post(fmt.Sprintf("/delete-message/%d", msg), nil))
		if doc := host.page(roomPath, http.StatusOK); doc.Find(fmt.Sprintf("#message-%d", msg)).Length() != 1 {
			t.Fatal("another user deleted the host's message")
		}
		doc := other.page(fmt.Sprintf("/delete-message/%d", otherMsg), http.StatusOK)
		if got := doc.Find(".quote").Text(); got != "intruder's words" {
			t.Errorf("confirmation quotes %q", got)
		}
		if action, _ := doc.Find("form").Last().Attr("action"); action != fmt.Sprintf("/delete-message/%d", otherMsg) {
			t.Errorf("confirmation form posts to %q", action)
		}
		resp := other.post(fmt.Sprintf("/delete-message/%d", otherMsg), nil)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != roomPath {
			t.Fatalf("author delete = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if doc := host.page(roomPath, http.StatusOK); doc.Find(fmt.Sprintf("#message-%d", otherMsg)).Length() != 0 {
			t.Error("message still shown after its author deleted it")
		}
		other.page(fmt.Sprintf("/delete-message/%d", otherMsg), http.StatusNotFound)
	})

	t.Run("delete room", func(t *testing.T) {
		forbidden(t, other.get(fmt.Sprintf("/delete-room/%d", room)))
		forbidden(t, other.post(fmt.Sprintf("/delete-room/%d", room), nil))
		host.page(roomPath, http.StatusOK)
		doc := host.page(fmt.Sprintf("/delete-room/%d", room), http.StatusOK)
		if got := doc.Find(".quote").Text(); got != "Owned room, renamed" {
			t.Errorf("confirmation quotes %q", got)
		}
		if !strings.Contains(doc.Find(".confirm").Text(), "Are you sure") {
			t.Error("no confirmation question")
		}
		resp := host.post(fmt.Sprintf("/delete-room/%d", room), nil)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("host delete = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		host.page(roomPath, http.StatusNotFound)
	})
}

package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestRoomPageShowsTheNewestMessagesAndLoadsEarlier: a room page used to
// carry every message of the room (300+ KB for 600). It shows the newest
// 50 with a "Load earlier messages" link, which pages back; the app's
// JSON API pages the same way, and the live poll still delivers (in pages
// when far behind).
func TestRoomPageShowsTheNewestMessagesAndLoadsEarlier(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	gus := registered(t, st.AppURL, "gus")
	room := gus.createRoom("Busy room "+uniqueName("r"), "Paging", "")
	api := dataAPIAs(t, st, gus)
	const n = 55
	ids := make([]int64, n)
	for i := range ids {
		m, err := api.PostMessage(context.Background(), room, fmt.Sprintf("message number %d", i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = m.ID
	}

	doc := gus.page("/room/"+strconv.FormatInt(room, 10), http.StatusOK)
	msgs := doc.Find("#messages .message")
	if msgs.Length() != 50 || !strings.Contains(msgs.First().Text(), "message number 5") ||
		!strings.Contains(msgs.Last().Text(), "message number 54") {
		t.Fatalf("room page shows %d messages (%q … %q), want the newest 50", msgs.Length(),
			squeeze(msgs.First().Text()), squeeze(msgs.Last().Text()))
	}
	if after, _ := doc.Find("#messages").Attr("data-after"); after != strconv.FormatInt(ids[n-1], 10) {
		t.Errorf("the page polls after %q, want the newest message %d", after, ids[n-1])
	}
	earlier, ok := doc.Find("#load-earlier").Attr("href")
	if !ok || earlier != fmt.Sprintf("/room/%d?before=%d#messages", room, ids[5]) {
		t.Fatalf("load earlier link %q", earlier)
	}
	doc = gus.page(strings.TrimSuffix(earlier, "#messages"), http.StatusOK)
	if got := doc.Find("#messages .message").Length(); got != 5 || !strings.Contains(doc.Find("#messages .message").First().Text(), "message number 0") {
		t.Errorf("earlier page shows %d messages", got)
	}
	if doc.Find("#load-earlier").Length() != 0 || doc.Find(`#latest-messages[href="/room/`+strconv.FormatInt(room, 10)+`"]`).Length() != 1 {
		t.Error("the first page should offer the latest messages, not earlier ones")
	}
	if _, polls := doc.Find("#messages").Attr("data-poll"); polls {
		t.Error("an earlier page polls for new messages")
	}

	var detail struct {
		Messages   []struct{ ID int64 } `json:"messages"`
		HasEarlier bool                 `json:"has_earlier"`
	}
	resp := gus.get(fmt.Sprintf("/api/rooms/%d", room))
	if err := json.Unmarshal([]byte(readAll(t, resp)), &detail); err != nil || len(detail.Messages) != 50 || !detail.HasEarlier {
		t.Errorf("/api/rooms/%d: %d messages, has_earlier %v (%v)", room, len(detail.Messages), detail.HasEarlier, err)
	}
	resp = gus.get(fmt.Sprintf("/api/rooms/%d?before=%d", room, ids[5]))
	if err := json.Unmarshal([]byte(readAll(t, resp)), &detail); err != nil || len(detail.Messages) != 5 || detail.HasEarlier {
		t.Errorf("/api/rooms/%d?before: %d messages, has_earlier %v (%v)", room, len(detail.Messages), detail.HasEarlier, err)
	}
	if resp := gus.get(fmt.Sprintf("/api/rooms/%d?before=x", room)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("/api/rooms/%d?before=x = %d", room, resp.StatusCode)
	}

	var feed struct {
		Messages []struct{ ID int64 } `json:"messages"`
		More     bool                 `json:"more"`
	}
	for after, want := range map[int64]struct {
		n    int
		more bool
	}{0: {50, true}, ids[49]: {5, false}, ids[n-1]: {0, false}} {
		resp := gus.get(fmt.Sprintf("/room/%d/messages?after=%d", room, after))
		if err := json.Unmarshal([]byte(readAll(t, resp)), &feed); err != nil || len(feed.Messages) != want.n || feed.More != want.more {
			t.Errorf("poll after %d: %d messages, more %v (%v); want %d, %v", after, len(feed.Messages), feed.More, err, want.n, want.more)
		}
	}
}

package tests

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestProfileListsPaginate seeds more than a page (20) of rooms hosted and
// of messages for one user and pages through both lists independently.
func TestProfileListsPaginate(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	prolific := registered(t, st.AppURL, "prolific")
	// The messages go to another user's room, so posting them does not
	// reorder prolific's own rooms (most recently updated first).
	other := registered(t, st.AppURL, "elsewhere")
	chat := other.createRoom("Where prolific talks", "Profiles", "")
	for i := 0; i < 22; i++ {
		prolific.createRoom(fmt.Sprintf("Prolific room %02d", i), "Profiles", "")
	}
	for i := 0; i < 23; i++ {
		prolific.postMessage(chat, fmt.Sprintf("prolific message %02d", i))
	}
	profile := fmt.Sprintf("/profile/%d", prolific.ID)
	v := newVisitor(t, st.AppURL)

	rooms := func(doc *goquery.Document) []string {
		return texts(doc.Find(".col-feed .room-card .room-name"))
	}
	msgs := func(doc *goquery.Document) []string {
		return texts(doc.Find(".col-activity .activity-body"))
	}
	pos := func(doc *goquery.Document, pager string) string {
		return squeeze(doc.Find(pager + " .pager-pos").Text())
	}
	link := func(doc *goquery.Document, pager, rel string) string {
		t.Helper()
		href, ok := doc.Find(pager + ` .pager a[rel="` + rel + `"]`).Attr("href")
		if !ok {
			t.Fatalf("no %s link in %s", rel, pager)
		}
		return href
	}

	doc := v.page(profile, http.StatusOK)
	if got := squeeze(doc.Find("#hosted-title .count").Text()); got != "22" {
		t.Errorf("rooms hosted count %q, want 22", got)
	}
	if r, m := rooms(doc), msgs(doc); len(r) != 20 || r[0] != "Prolific room 21" || len(m) != 20 || m[0] != "prolific message 22" {
		t.Fatalf("first page: %d rooms from %q, %d messages from %q; want 20 of each, newest first", len(r), first(r), len(m), first(m))
	}
	if pos(doc, "#rooms-pager") != "Page 1 of 2" || pos(doc, "#messages-pager") != "Page 1 of 2" {
		t.Errorf("pagers %q / %q, want Page 1 of 2 each", pos(doc, "#rooms-pager"), pos(doc, "#messages-pager"))
	}
	if doc.Find(`.pager a[rel="prev"]`).Length() != 0 {
		t.Error("the first page offers a previous link")
	}

	// Rooms, page 2: the two oldest rooms; messages stay on page 1.
	next := link(doc, "#rooms-pager", "next")
	if next != profile+"?rooms=2" {
		t.Errorf("rooms next link %q", next)
	}
	doc = v.page(next, http.StatusOK)
	if r := rooms(doc); strings.Join(r, ",") != "Prolific room 01,Prolific room 00" {
		t.Errorf("rooms page 2 shows %q, want the two oldest rooms", r)
	}
	if m := msgs(doc); len(m) != 20 || m[0] != "prolific message 22" {
		t.Errorf("turning the rooms page moved the messages: %d from %q", len(m), first(m))
	}
	if pos(doc, "#rooms-pager") != "Page 2 of 2" || doc.Find(`#rooms-pager a[rel="next"]`).Length() != 0 {
		t.Errorf("rooms pager on the last page: %q", squeeze(doc.Find("#rooms-pager").Text()))
	}

	// Messages, page 2, from there: the three oldest messages, and the
	// rooms stay on their page 2.
	next = link(doc, "#messages-pager", "next")
	if next != profile+"?messages=2&rooms=2" {
		t.Errorf("messages next link %q, want it to keep rooms=2", next)
	}
	doc = v.page(next, http.StatusOK)
	if m := msgs(doc); strings.Join(m, ",") != "prolific message 02,prolific message 01,prolific message 00" {
		t.Errorf("messages page 2 shows %q, want the three oldest", m)
	}
	if r := rooms(doc); len(r) != 2 {
		t.Errorf("rooms left their page 2: %q", r)
	}
	if pos(doc, "#messages-pager") != "Page 2 of 2" {
		t.Errorf("messages pager %q", pos(doc, "#messages-pager"))
	}
	if prev := link(doc, "#messages-pager", "prev"); prev != profile+"?rooms=2" {
		t.Errorf("messages previous link %q, want back to page 1 keeping rooms=2", prev)
	}
	if prev := link(doc, "#rooms-pager", "prev"); prev != profile+"?messages=2" {
		t.Errorf("rooms previous link %q, want back to page 1 keeping messages=2", prev)
	}
}

func texts(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, s *goquery.Selection) { out = append(out, squeeze(s.Text())) })
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

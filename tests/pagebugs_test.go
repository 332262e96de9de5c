package tests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestPagePastTheEndGoesToTheLastPage: a stale or hand-made ?page= beyond
// the last page redirects to the last page, which lists the items; the
// empty state ("No rooms yet", "No messages yet") is never shown while
// there are some.
func TestPagePastTheEndGoesToTheLastPage(t *testing.T) {
	st := sharedStack(t)
	host := registered(t, st.AppURL, "pager")
	tag := uniqueName("paged")
	var room int64
	for i := range 21 {
		room = host.createRoom(fmt.Sprintf("Paged %s %02d", tag, i), "Paging "+tag, "")
	}
	single := uniqueName("single")
	lone := host.createRoom("Lone "+single, "Paging "+single, "")
	host.postMessage(lone, "the only message "+single)
	for i := range 21 {
		host.postMessage(room, fmt.Sprintf("message %d", i))
	}
	v := newVisitor(t, st.AppURL)
	for _, tc := range []struct{ path, want, pos string }{
		{"/?q=" + tag + "&page=99", "/?page=2&q=" + tag, "Page 2 of 2"},
		{"/activity?q=" + tag + "&page=99", "/activity?page=2&q=" + tag, "Page 2 of 2"},
		{"/activity?q=" + single + "&page=2", "/activity?q=" + single, ""},
		{"/?q=" + single + "&page=3", "/?q=" + single, ""},
	} {
		resp := v.get(tc.path)
		readAll(t, resp)
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != tc.want {
			t.Errorf("GET %s = %d Location %q, want 302 to %s", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.want)
			continue
		}
		doc := v.page(tc.want, http.StatusOK)
		text := squeeze(doc.Find("main").Text())
		if strings.Contains(text, "No rooms yet") || strings.Contains(text, "No messages yet") || strings.Contains(text, "No rooms match") {
			t.Errorf("%s shows the empty state: %q", tc.want, text)
		}
		if pos := squeeze(doc.Find(".pager-pos").First().Text()); pos != tc.pos {
			t.Errorf("%s pager says %q, want %q", tc.want, pos, tc.pos)
		}
	}
	// Pages that exist are served as they are.
	if resp := v.get("/?q=" + tag + "&page=2"); readAll(t, resp) == "" || resp.StatusCode != http.StatusOK {
		t.Errorf("page 2 of 2 = %d, want 200", resp.StatusCode)
	}
	// A profile's lists too.
	resp := v.get(fmt.Sprintf("/profile/%d?rooms=50&messages=2", host.ID))
	readAll(t, resp)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.Contains(loc, "rooms=2") {
		t.Errorf("profile past the end = %d Location %q, want a redirect to rooms page 2", resp.StatusCode, loc)
	}
}

// TestForbiddenPageSaysHostAndLinksToTheRoom: the 403 page uses the app's
// word (host, author) and leads back to the room, not only home.
func TestForbiddenPageSaysHostAndLinksToTheRoom(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	host := registered(t, st.AppURL, "hoster")
	other := registered(t, st.AppURL, "visitor")
	room := host.createRoom("Guarded "+uniqueName("g"), "Guarding", "")
	msg := host.postMessage(room, "mine")
	roomPath := fmt.Sprintf("/room/%d", room)
	for _, tc := range []struct{ method, path, who string }{
		{http.MethodGet, fmt.Sprintf("/update-room/%d", room), "host"},
		{http.MethodGet, fmt.Sprintf("/delete-room/%d", room), "host"},
		{http.MethodPost, fmt.Sprintf("/update-room/%d", room), "host"}, // refused by the data service
		{http.MethodGet, fmt.Sprintf("/delete-message/%d", msg), "author"},
	} {
		var resp *http.Response
		if tc.method == http.MethodPost {
			resp = other.post(tc.path, url.Values{"name": {"taken over"}, "topic": {"x"}})
		} else {
			resp = other.get(tc.path)
		}
		doc := parse(t, readAll(t, resp))
		text := squeeze(doc.Find("main").Text())
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s %s = %d, want 403", tc.method, tc.path, resp.StatusCode)
			continue
		}
		if strings.Contains(strings.ToLower(text), "owner") || !strings.Contains(text, tc.who) {
			t.Errorf("%s %s: 403 page says %q; want the word %q, not owner", tc.method, tc.path, text, tc.who)
		}
		if tc.method == http.MethodPost {
			continue
		}
		if doc.Find(fmt.Sprintf(`main a[href="%s"]`, roomPath)).Length() == 0 {
			t.Errorf("%s %s: the 403 page has no link back to %s", tc.method, tc.path, roomPath)
		}
	}
	// Refused by the data service (a forged POST): the link still leads to the room.
	resp := other.post(fmt.Sprintf("/delete-room/%d", room), nil)
	doc := parse(t, readAll(t, resp))
	if resp.StatusCode != http.StatusForbidden || doc.Find(fmt.Sprintf(`main a[href="%s"]`, roomPath)).Length() == 0 {
		t.Errorf("forged delete = %d, link to the room: %d", resp.StatusCode, doc.Find(fmt.Sprintf(`main a[href="%s"]`, roomPath)).Length())
	}
}

// TestTopicWithoutRoomsIsHidden: when a topic's last room is deleted the
// topic is no longer listed (it would say 0 and lead to nothing).
func TestTopicWithoutRoomsIsHidden(t *testing.T) {
	st := sharedStack(t)
	host := registered(t, st.AppURL, "topical")
	topic := "Fleeting " + uniqueName("t")
	room := host.createRoom("Short-lived", topic, "")
	v := newVisitor(t, st.AppURL)
	if n := v.page("/topics?q="+url.QueryEscape(topic), http.StatusOK).Find(".topic-list li .topic-name").Length(); n != 1 {
		t.Fatalf("topic listed %d times while it has a room, want 1", n)
	}
	resp := host.post(fmt.Sprintf("/delete-room/%d", room), nil)
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete room = %d", resp.StatusCode)
	}
	doc := v.page("/topics?q="+url.QueryEscape(topic), http.StatusOK)
	if n := doc.Find(".topic-list li .topic-name").Length(); n != 0 {
		t.Errorf("a topic without rooms is still listed: %q", squeeze(doc.Find(".topic-list").Text()))
	}
	if !strings.Contains(doc.Find(".topic-list .empty").Text(), "No topics match") {
		t.Error("no empty message once the only matching topic has no rooms")
	}
	if strings.Contains(v.page("/", http.StatusOK).Find(".topic-list").Text(), topic) {
		t.Error("the home page's topics column lists a topic without rooms")
	}
}

// TestFocusStaysInTheMessageBoxAfterPosting: after posting, the room page
// puts the focus back in the message box (autofocus), once: a later visit
// does not.
func TestFocusStaysInTheMessageBoxAfterPosting(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	v := registered(t, st.AppURL, "typist")
	room := v.createRoom("Chatty "+uniqueName("c"), "Typing", "")
	path := fmt.Sprintf("/room/%d", room)
	if _, ok := v.page(path, http.StatusOK).Find("textarea#body").Attr("autofocus"); ok {
		t.Error("a plain visit already focuses the message box")
	}
	v.postMessage(room, "first")
	if _, ok := v.page(path, http.StatusOK).Find("textarea#body").Attr("autofocus"); !ok {
		t.Error("after posting, the message box does not get the focus back")
	}
	if _, ok := v.page(path, http.StatusOK).Find("textarea#body").Attr("autofocus"); ok {
		t.Error("the focus mark outlived the visit after the post")
	}
	// A post refused for its content also comes back with the focus in the box.
	doc := parse(t, readAll(t, v.post(path, url.Values{"body": {"   "}})))
	if _, ok := doc.Find("textarea#body").Attr("autofocus"); !ok {
		t.Error("a refused post does not put the focus in the message box")
	}
}

// TestSearchFindsHostsByDisplayName: the search box promises hosts, and
// people know each other by name, not @username.
func TestSearchFindsHostsByDisplayName(t *testing.T) {
	st := sharedStack(t)
	host := registered(t, st.AppURL, "named")
	display := "Bob Builder " + strings.TrimPrefix(host.Username, "named")
	resp := host.post("/update-user", url.Values{"name": {display}, "username": {host.Username}, "email": {host.Email}, "bio": {""}})
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename to %q = %d", display, resp.StatusCode)
	}
	room := host.createRoom("Scaffolding", "Building", "")
	doc := newVisitor(t, st.AppURL).page("/?q="+url.QueryEscape(strings.ToLower(display)), http.StatusOK)
	if n := roomCount(t, st.AppURL+"/?q="+url.QueryEscape(strings.ToLower(display))); n != 1 ||
		doc.Find(fmt.Sprintf(`a[href="/room/%d"]`, room)).Length() == 0 {
		t.Errorf("searching the host's name %q finds %d rooms, want their room", display, n)
	}
}

// TestTopicLinkFiltersByThatTopicExactly: a topic's link lists its rooms
// and only them, so its count and the list agree ("go" is in "Django"
// too, which a search would find).
func TestTopicLinkFiltersByThatTopicExactly(t *testing.T) {
	st := sharedStack(t)
	host := registered(t, st.AppURL, "topics")
	tag := strings.TrimPrefix(uniqueName("x"), "x")
	short, long := "Go"+tag, "DjanGo"+tag+"web"
	host.createRoom("Channels", short, "")
	host.createRoom("Generics", short, "")
	host.createRoom("Views", long, "")
	v := newVisitor(t, st.AppURL)
	topics := v.page("/topics?q="+url.QueryEscape(short), http.StatusOK)
	var href, count string
	topics.Find(".topic-list li").Each(func(_ int, li *goquery.Selection) {
		if li.Find(".topic-name").Text() == short {
			href, _ = li.Find("a").Attr("href")
			count = li.Find(".count").Text()
		}
	})
	if href == "" || count != "2" {
		t.Fatalf("topic %s: link %q count %q", short, href, count)
	}
	if n := roomCount(t, st.AppURL+href); n != 2 {
		t.Errorf("%s lists %d rooms, but the topic says 2 (a search for %q would add %s)", href, n, short, long)
	}
	doc := v.page(href, http.StatusOK)
	if got := squeeze(doc.Find("#room-count").Text()); got != "2 rooms available in “"+short+"”" {
		t.Errorf("room count line %q", got)
	}
	if cur := squeeze(doc.Find(`.topic-list a[aria-current="page"]`).Text()); !strings.HasPrefix(cur, short) && cur != "" {
		t.Errorf("current topic marked %q", cur)
	}
	for _, name := range []string{"Channels", "Generics"} {
		if !strings.Contains(doc.Find(".room-card").Text(), name) {
			t.Errorf("%s does not list %q", href, name)
		}
	}
}

// TestInvalidFieldsAreHighlighted: "Please correct the highlighted fields"
// on sign-up and edit profile marks each field in error (aria-invalid,
// which the stylesheet draws with a red edge) and ties its message to it
// with aria-describedby; valid fields stay unmarked.
func TestInvalidFieldsAreHighlighted(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	check := func(what string, doc *goquery.Document, invalid []string, valid ...string) {
		t.Helper()
		if !strings.Contains(doc.Find(".alert").Text(), "highlighted fields") {
			t.Errorf("%s: no summary alert: %q", what, squeeze(doc.Find("main").Text()))
		}
		for _, id := range invalid {
			in := doc.Find("#" + id)
			if v, _ := in.Attr("aria-invalid"); v != "true" {
				t.Errorf("%s: field %s is not marked aria-invalid", what, id)
			}
			desc, _ := in.Attr("aria-describedby")
			msg := doc.Find("#" + id + "-error")
			if msg.Length() != 1 || !strings.Contains(" "+desc+" ", " "+id+"-error ") || squeeze(msg.Text()) == "" {
				t.Errorf("%s: field %s aria-describedby=%q does not name its message (%d found)", what, id, desc, msg.Length())
			}
		}
		for _, id := range valid {
			if _, ok := doc.Find("#" + id).Attr("aria-invalid"); ok {
				t.Errorf("%s: valid field %s is marked invalid", what, id)
			}
		}
	}
	v := newVisitor(t, st.AppURL)
	resp := v.post("/register", url.Values{"name": {""}, "username": {"x"}, "email": {"nope"}, "password": {"12345678"}, "password2": {"12345678"}})
	check("sign-up", parse(t, readAll(t, resp)), []string{"name", "username", "email", "password"}, "password2")
	resp = v.post("/register", url.Values{"name": {"Ann"}, "username": {uniqueName("ann")}, "email": {uniqueName("a") + "@example.org"}, "password": {"long enough pass"}, "password2": {"other"}})
	check("sign-up mismatch", parse(t, readAll(t, resp)), []string{"password2"}, "name", "username", "email", "password")

	u := registered(t, st.AppURL, "editor")
	resp = u.post("/update-user", url.Values{"name": {""}, "username": {u.Username}, "email": {"not an email"}, "bio": {""}})
	check("edit profile", parse(t, readAll(t, resp)), []string{"name", "email"}, "username", "bio")
}

// TestSignUpShowsPasswordRulesFirst: the password's rules are on the
// sign-up form before anything is submitted, tied to the field.
func TestSignUpShowsPasswordRulesFirst(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	doc := newVisitor(t, st.AppURL).page("/register", http.StatusOK)
	desc, _ := doc.Find("#password").Attr("aria-describedby")
	hint := ""
	for _, id := range strings.Fields(desc) {
		hint += " " + squeeze(doc.Find("#"+id).Text())
	}
	for _, rule := range []string{"8 characters", "digits", "common"} {
		if !strings.Contains(hint, rule) {
			t.Errorf("the password field's description %q does not say %q", hint, rule)
		}
	}
}

package tests

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHomePage(t *testing.T) {
	st := sharedStack(t)
	host := registered(t, st.AppURL, "homehost")
	topic := "Topic" + uniqueName("t")
	room := host.createRoom("Home card room", topic, "A description you can search for: zebra"+topic)
	chatter := registered(t, st.AppURL, "chatter")
	chatter.postMessage(room, "hello from the home test "+topic)

	doc := newVisitor(t, st.AppURL).page("/?q="+url.QueryEscape(topic), http.StatusOK)
	for _, col := range []string{".col-topics", ".col-feed", ".col-activity"} {
		if doc.Find(col).Length() != 1 {
			t.Errorf("home page lacks the %s column", col)
		}
	}
	if got := squeeze(doc.Find("#room-count").Text()); !strings.HasPrefix(got, "1 room available") {
		t.Errorf("room count %q", got)
	}
	card := doc.Find(".room-card")
	if card.Length() != 1 {
		t.Fatalf("%d cards for the room's own topic", card.Length())
	}
	if href, _ := card.Find(".host").Attr("href"); href != fmt.Sprintf("/profile/%d", host.ID) {
		t.Errorf("host link %q", href)
	}
	if src, _ := card.Find(".host img.avatar").Attr("src"); !strings.HasPrefix(src, "/static/avatar.") {
		t.Errorf("host without a picture shows %q, want the default avatar", src)
	}
	if got := card.Find(".handle").Text(); got != "@"+host.Username {
		t.Errorf("host %q", got)
	}
	if got := card.Find(".ago").Text(); got != "just now" {
		t.Errorf("updated %q", got)
	}
	if href, _ := card.Find(".room-name a").Attr("href"); href != fmt.Sprintf("/room/%d", room) {
		t.Errorf("room link %q", href)
	}
	if got := squeeze(card.Find(".joined").Text()); got != "1 joined" {
		t.Errorf("participants %q, want 1 joined", got)
	}
	if got := card.Find(".topic-tag").Text(); got != topic {
		t.Errorf("topic %q", got)
	}
	// Activity is filtered by the same q.
	acts := doc.Find(".col-activity .activity-item")
	if acts.Length() != 1 || !strings.Contains(acts.Find(".activity-body").Text(), "hello from the home test") {
		t.Errorf("activity for q: %q", squeeze(acts.Text()))
	}
	if got := acts.Find(".activity-where a").Text(); got != "Home card room" {
		t.Errorf("activity names room %q", got)
	}

	t.Run("search matches name, description, topic and host, ignoring case", func(t *testing.T) {
		for _, q := range []string{strings.ToUpper(topic), "ZEBRA" + topic, host.Username, strings.ToUpper(host.Username)} {
			doc := newVisitor(t, st.AppURL).page("/?q="+url.QueryEscape(q), http.StatusOK)
			found := false
			doc.Find(".room-card .room-name a").Each(func(_ int, s *goquery.Selection) {
				if href, _ := s.Attr("href"); href == fmt.Sprintf("/room/%d", room) {
					found = true
				}
			})
			if !found {
				t.Errorf("q=%q does not find the room", q)
			}
		}
	})

	t.Run("topics column: All with the true total, five topics, a link to all", func(t *testing.T) {
		doc := newVisitor(t, st.AppURL).page("/", http.StatusOK)
		var api struct {
			Total int `json:"total"`
		}
		getJSON(t, st.AppURL+"/api/rooms", &api)
		if got := doc.Find("#all-count").Text(); got != strconv.Itoa(api.Total) {
			t.Errorf("All shows %s, the API says %d rooms", got, api.Total)
		}
		if n := doc.Find(".col-topics .topic-list li").Length() - 1; n > 5 || n < 1 {
			t.Errorf("%d topics listed, want 1..5", n)
		}
		if doc.Find(`.col-topics a[href="/topics"]`).Length() != 1 {
			t.Error("no link to all topics")
		}
	})

	t.Run("long lists paginate", func(t *testing.T) {
		pt := "Paged" + uniqueName("p")
		for i := 0; i < 21; i++ {
			host.createRoom(fmt.Sprintf("Paged room %02d", i), pt, "")
		}
		v := newVisitor(t, st.AppURL)
		doc := v.page("/?q="+url.QueryEscape(pt), http.StatusOK)
		if n := doc.Find(".room-card").Length(); n != 20 {
			t.Errorf("page 1 shows %d rooms, want 20", n)
		}
		if got := squeeze(doc.Find(".pager-pos").Text()); got != "Page 1 of 2" {
			t.Errorf("pager %q", got)
		}
		next, ok := doc.Find(`.pager a[rel="next"]`).Attr("href")
		if !ok {
			t.Fatal("no next link")
		}
		doc = v.page(next, http.StatusOK)
		if n := doc.Find(".room-card").Length(); n != 1 || doc.Find(".room-name").Text() != "Paged room 00" {
			t.Errorf("page 2 shows %d rooms (%q), want the oldest one", n, doc.Find(".room-name").Text())
		}
		if _, ok := doc.Find(`.pager a[rel="prev"]`).Attr("href"); !ok {
			t.Error("no previous link on page 2")
		}
	})
}

func TestRoomPage(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	host := registered(t, st.AppURL, "roomhost")
	guest := registered(t, st.AppURL, "guest")
	room := host.createRoom("Room page room", "Rooms", "All about\nthe room page")
	path := fmt.Sprintf("/room/%d", room)
	m1 := guest.postMessage(room, "first message by the guest")
	m2 := host.postMessage(room, "reply by the host")

	t.Run("anonymous view", func(t *testing.T) {
		doc := newVisitor(t, st.AppURL).page(path, http.StatusOK)
		if got := doc.Find("#room-title").Text(); got != "Room page room" {
			t.Errorf("title %q", got)
		}
		if got := squeeze(doc.Find(".room-created").Text()); got != "Created just now" {
			t.Errorf("created %q", got)
		}
		if got := doc.Find(".room-host .handle").Text(); got != "@"+host.Username {
			t.Errorf("host %q", got)
		}
		if got := doc.Find(".room-head .topic-tag").Text(); got != "Rooms" {
			t.Errorf("topic %q", got)
		}
		if got := doc.Find(".room-about").Text(); got != "All about\nthe room page" {
			t.Errorf("description %q", got)
		}
		msgs := doc.Find("#messages .message")
		if msgs.Length() != 2 {
			t.Fatalf("%d messages, want 2", msgs.Length())
		}
		first := msgs.First()
		if id, _ := first.Attr("id"); id != fmt.Sprintf("message-%d", m1) {
			t.Errorf("first message id %q: want oldest first", id)
		}
		if got := first.Find(".handle").Text(); got != "@"+guest.Username {
			t.Errorf("author %q", got)
		}
		if first.Find("img.avatar").Length() != 1 || first.Find(".ago").Text() != "just now" {
			t.Error("message lacks avatar or time")
		}
		if got := squeeze(doc.Find("#participants-title").Text()); got != "Participants 2" {
			t.Errorf("participants heading %q", got)
		}
		if doc.Find(".people li a").Length() != 2 {
			t.Errorf("participants listed: %q", squeeze(doc.Find(".people").Text()))
		}
		if doc.Find(".message-form").Length() != 0 || doc.Find(".login-hint").Length() != 1 {
			t.Error("anonymous visitor sees the message form")
		}
		if doc.Find("#edit-room, #delete-room, .delete-message").Length() != 0 {
			t.Error("anonymous visitor sees owner controls")
		}
	})

	t.Run("host sees room controls, authors see their delete links only", func(t *testing.T) {
		doc := host.page(path, http.StatusOK)
		if doc.Find("#edit-room").Length() != 1 || doc.Find("#delete-room").Length() != 1 {
			t.Error("host does not see edit/delete")
		}
		if links := deleteLinks(doc); len(links) != 1 || links[0] != fmt.Sprintf("/delete-message/%d", m2) {
			t.Errorf("host's delete links %v, want only their own message", links)
		}
		doc = guest.page(path, http.StatusOK)
		if doc.Find("#edit-room, #delete-room").Length() != 0 {
			t.Error("guest sees the host's controls")
		}
		if links := deleteLinks(doc); len(links) != 1 || links[0] != fmt.Sprintf("/delete-message/%d", m1) {
			t.Errorf("guest's delete links %v", links)
		}
		if doc.Find("form.message-form textarea#body").Length() != 1 || doc.Find(`label[for="body"]`).Length() != 1 {
			t.Error("no labelled message form for a logged-in user")
		}
	})

	t.Run("posting joins the room", func(t *testing.T) {
		third := registered(t, st.AppURL, "third")
		third.postMessage(room, "count me in")
		doc := third.page(path, http.StatusOK)
		if got := squeeze(doc.Find("#participants-title").Text()); got != "Participants 3" {
			t.Errorf("participants heading %q", got)
		}
	})

	t.Run("an empty message is refused and nothing is posted", func(t *testing.T) {
		resp := guest.post(path, url.Values{"body": {"   "}})
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(".message-form .field-error").Length() != 1 {
			t.Errorf("empty message: %d %q", resp.StatusCode, doc.Find(".field-error").Text())
		}
		if n := doc.Find("#messages .message").Length(); n != 3 {
			t.Errorf("%d messages after an empty post, want 3", n)
		}
	})

	t.Run("live feed returns only newer messages, rendered", func(t *testing.T) {
		var out struct {
			Messages []struct {
				ID   int64  `json:"id"`
				HTML string `json:"html"`
			} `json:"messages"`
		}
		getJSON(t, fmt.Sprintf("%s%s/messages?after=%d", st.AppURL, path, m1), &out)
		if len(out.Messages) != 2 || out.Messages[0].ID != m2 {
			t.Fatalf("after=%d gave %+v", m1, out.Messages)
		}
		frag := parse(t, out.Messages[0].HTML)
		if got := frag.Find(".message-body").Text(); got != "reply by the host" {
			t.Errorf("fragment body %q", got)
		}
		resp := newVisitor(t, st.AppURL).get("/room/99999999/messages?after=0")
		readAll(t, resp)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown room feed = %d", resp.StatusCode)
		}
	})

	t.Run("live feed brings a newcomer into the participants list", func(t *testing.T) {
		type feed struct {
			Messages []struct {
				ID int64 `json:"id"`
			} `json:"messages"`
			Participants *struct {
				Count int    `json:"count"`
				HTML  string `json:"html"`
			} `json:"participants"`
		}
		var before feed
		getJSON(t, st.AppURL+path+"/messages?after=0", &before)
		last := before.Messages[len(before.Messages)-1].ID
		var quiet feed
		getJSON(t, fmt.Sprintf("%s%s/messages?after=%d", st.AppURL, path, last), &quiet)
		if len(quiet.Messages) != 0 || quiet.Participants != nil {
			t.Errorf("nothing new, yet the feed sent %+v", quiet)
		}
		newcomer := registered(t, st.AppURL, "newcomer")
		newcomer.postMessage(room, "hi, I am new here")
		var news feed
		getJSON(t, fmt.Sprintf("%s%s/messages?after=%d", st.AppURL, path, last), &news)
		if len(news.Messages) != 1 || news.Participants == nil {
			t.Fatalf("after the newcomer's post the feed sent %+v", news)
		}
		page := newVisitor(t, st.AppURL).page(path, http.StatusOK)
		want := page.Find("#participant-count").Text()
		if got := strconv.Itoa(news.Participants.Count); got != want || got != "4" {
			t.Errorf("live count %s, the page says %s, want 4", got, want)
		}
		frag := parse(t, "<ul>"+news.Participants.HTML+"</ul>")
		handles := texts(frag.Find("li .handle"))
		if len(handles) != 4 || handles[3] != "@"+newcomer.Username {
			t.Errorf("live participants %q, want four ending with @%s", handles, newcomer.Username)
		}
		if href, _ := frag.Find("li a").Last().Attr("href"); href != fmt.Sprintf("/profile/%d", newcomer.ID) {
			t.Errorf("newcomer links to %q", href)
		}
		if pageItems := page.Find("#people li").Length(); pageItems != frag.Find("li").Length() {
			t.Errorf("the page lists %d participants, the live list %d", pageItems, frag.Find("li").Length())
		}
	})

	t.Run("unknown rooms are a friendly 404", func(t *testing.T) {
		for _, p := range []string{"/room/99999999", "/room/abc", "/no/such/page"} {
			doc := newVisitor(t, st.AppURL).page(p, http.StatusNotFound)
			if got := doc.Find("h1").Text(); got != "Page not found" {
				t.Errorf("%s: heading %q", p, got)
			}
			if doc.Find(`a[href="/"]`).Length() == 0 {
				t.Errorf("%s: no way home", p)
			}
		}
	})
}

func deleteLinks(doc *goquery.Document) []string {
	var out []string
	doc.Find("#messages a.delete-message").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		out = append(out, h)
	})
	return out
}

func getJSON(t testing.TB, u string, out any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s = %d %s: %s", u, resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if err := json.Unmarshal([]byte(body), out); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

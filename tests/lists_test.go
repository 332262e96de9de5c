package tests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestTopicsActivityAndAPI(t *testing.T) {
	st := sharedStack(t)
	erin := registered(t, st.AppURL, "erin")
	tag := uniqueName("lists")
	room := erin.createRoom("Lists room "+tag, "Astronomy "+tag, "stars")
	erin.postMessage(room, "activity line "+tag)

	t.Run("topics page searches topics", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		doc := v.page("/topics?q="+url.QueryEscape("ASTRONOMY "+strings.ToUpper(tag)), http.StatusOK)
		items := doc.Find(".topic-list li")
		if items.Length() != 1 || items.Find(".topic-name").Text() != "Astronomy "+tag || items.Find(".count").Text() != "1" {
			t.Errorf("topic search: %q", squeeze(items.Text()))
		}
		if href, _ := items.Find("a").Attr("href"); href != "/?topic="+url.QueryEscape("Astronomy "+tag) && href != "/?topic=Astronomy%20"+tag {
			t.Errorf("topic link %q", href)
		}
		doc = v.page("/topics", http.StatusOK)
		if doc.Find("#all-count").Length() != 1 || doc.Find(".topic-list li").Length() < 2 {
			t.Error("all topics page lacks All or the topics")
		}
		doc = v.page("/topics?q=no-such-topic-"+tag, http.StatusOK)
		if !strings.Contains(doc.Find(".topic-list .empty").Text(), "No topics match") {
			t.Error("no empty message for a topic search without results")
		}
	})

	t.Run("activity page lists messages filtered by q", func(t *testing.T) {
		doc := newVisitor(t, st.AppURL).page("/activity?q="+url.QueryEscape(tag), http.StatusOK)
		items := doc.Find(".activity-item")
		if items.Length() != 1 || items.Find(".activity-body").Text() != "activity line "+tag {
			t.Errorf("activity: %q", squeeze(items.Text()))
		}
		if href, _ := items.Find(".activity-where a").Attr("href"); href != fmt.Sprintf("/room/%d", room) {
			t.Errorf("room link %q", href)
		}
		doc = newVisitor(t, st.AppURL).page("/activity", http.StatusOK)
		if doc.Find(".activity-item").Length() == 0 {
			t.Error("activity page empty")
		}
	})

	t.Run("JSON API", func(t *testing.T) {
		var index struct {
			Routes []string `json:"routes"`
		}
		getJSON(t, st.AppURL+"/api/", &index)
		if len(index.Routes) != 3 {
			t.Errorf("api index %v", index.Routes)
		}
		var rooms struct {
			Rooms []struct {
				ID   int64  `json:"id"`
				Name string `json:"name"`
			} `json:"rooms"`
			Total int `json:"total"`
		}
		getJSON(t, st.AppURL+"/api/rooms?q="+url.QueryEscape(tag), &rooms)
		if rooms.Total != 1 || len(rooms.Rooms) != 1 || rooms.Rooms[0].ID != room {
			t.Errorf("api rooms %+v", rooms)
		}
		var detail struct {
			Room struct {
				Name string `json:"name"`
			} `json:"room"`
			Messages []struct {
				Body string `json:"body"`
			} `json:"messages"`
		}
		getJSON(t, fmt.Sprintf("%s/api/rooms/%d", st.AppURL, room), &detail)
		if detail.Room.Name != "Lists room "+tag || len(detail.Messages) != 1 {
			t.Errorf("api room %+v", detail)
		}
		resp, err := http.Get(st.AppURL + "/api/rooms/99999999")
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `"not_found"`) {
			t.Errorf("unknown room = %d %s", resp.StatusCode, body)
		}
	})

	t.Run("pages carry a strict Content-Security-Policy", func(t *testing.T) {
		resp := newVisitor(t, st.AppURL).get("/")
		readAll(t, resp)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Error("no nosniff")
		}
	})
}

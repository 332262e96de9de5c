package tests

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

func ptrTo[T any](v T) *T { return &v }

// xssCorpus are script, attribute and URL payloads. Each one, put into any
// field, must come back as visible text and never as markup.
var xssCorpus = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=1">`,
	`' onmouseover='window.__xss=1' x='`,
	`" autofocus onfocus="window.__xss=1`,
	`javascript:window.__xss=1`,
	`data:text/html,<script>window.__xss=1</script>`,
	`</textarea><script>window.__xss=1</script>`,
	`</title><svg onload="window.__xss=1">`,
	`<a href="javascript:window.__xss=1">click</a>`,
	`<iframe src="javascript:window.__xss=1"></iframe>`,
	`<style>body{display:none}</style>`,
	`{{.Me}} ${alert(1)} <!-- -->`,
}

// TestXSSCorpusRendersInert puts each payload into every field (name,
// bio, room name, description, topic, message; username too, which the
// service refuses) and checks every page that shows them.
func TestXSSCorpusRendersInert(t *testing.T) {
	st := sharedStack(t)
	for i, payload := range xssCorpus {
		t.Run(fmt.Sprintf("payload %d", i), func(t *testing.T) {
			u := registered(t, st.AppURL, "xss")
			// Username: refused by the service; the refusal page must be inert too.
			f := profileForm(u)
			f.Set("username", payload)
			resp := u.postFile("/update-user", f, "", "", nil)
			assertInert(t, "update-user refusal", readAll(t, resp), payload, false)

			f = profileForm(u)
			f.Set("name", payload)
			f.Set("bio", payload)
			resp = u.postFile("/update-user", f, "", "", nil)
			if body := readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("profile with payload = %d: %s", resp.StatusCode, textOf(body))
			}
			topic := payload + " " + uniqueName("t")
			room := u.createRoom(payload, topic, payload)
			msg := u.postMessage(room, payload)

			pages := []string{
				"/", "/?q=" + url.QueryEscape(payload), "/?q=" + url.QueryEscape(topic),
				fmt.Sprintf("/room/%d", room), fmt.Sprintf("/profile/%d", u.ID),
				"/topics?q=" + url.QueryEscape(topic), "/activity?q=" + url.QueryEscape(topic),
				fmt.Sprintf("/update-room/%d", room), fmt.Sprintf("/delete-room/%d", room),
				fmt.Sprintf("/delete-message/%d", msg), "/update-user",
			}
			for _, p := range pages {
				resp := u.get(p)
				body := readAll(t, resp)
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s = %d", p, resp.StatusCode)
					continue
				}
				assertInert(t, p, body, payload, p != "/")
			}
			// The live-update fragment is inserted as HTML by the script.
			var live struct {
				Messages []struct{ HTML string } `json:"messages"`
			}
			getJSON(t, fmt.Sprintf("%s/room/%d/messages?after=0", st.AppURL, room), &live)
			for _, m := range live.Messages {
				assertInert(t, "live fragment", "<html><body>"+m.HTML+"</body></html>", payload, true)
			}
		})
	}
}

// TestXSSCorpusInChromium shows every payload in a real browser and checks
// that none of them ran (they all try to set window.__xss).
func TestXSSCorpusInChromium(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	u := registered(t, st.AppURL, "xssb")
	f := profileForm(u)
	f.Set("name", xssCorpus[0]+xssCorpus[1])
	f.Set("bio", strings.Join(xssCorpus, "\n"))
	if resp := u.postFile("/update-user", f, "", "", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("profile update = %d", resp.StatusCode)
	}
	room := u.createRoom(xssCorpus[1], xssCorpus[7]+uniqueName("t"), strings.Join(xssCorpus, "\n"))
	for _, p := range xssCorpus {
		u.postMessage(room, p)
	}
	browser := browsertest.Tab(t, 1360, 900)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	// Log the browser in with the test user's session cookie.
	var cookie *http.Cookie
	base, _ := url.Parse(st.AppURL)
	for _, c := range u.c.Jar.Cookies(base) {
		if c.Name == "coolroom_session" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatal("no session cookie")
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(c, tg, network.SetCookie, network.SetCookieParams{
			Name: cookie.Name, Value: cookie.Value, URL: st.AppURL, HTTPOnly: ptrTo(true),
		})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", fmt.Sprintf("/room/%d", room), fmt.Sprintf("/profile/%d", u.ID), "/activity", "/update-user", fmt.Sprintf("/update-room/%d", room)} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(st.AppURL+p),
			// Long enough for an onerror, an autofocus and a live-update poll.
			chromedp.Sleep(1500*time.Millisecond),
		)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(window.__xss === undefined ? "inert" : "RAN") + " " + (document.querySelector(".account .me") ? "in" : "out")`))
		if err != nil {
			t.Fatal(err)
		}
		if state != "inert in" {
			t.Errorf("%s in Chromium: %s (want no payload run, logged in)", p, state)
		}
	}
}

// assertInert fails if the page holds markup the app did not write: a
// script other than our own, an event-handler attribute, a javascript: or
// data: URL, an iframe, object, embed or style element. When shown is
// true the payload must also be visible as text.
func assertInert(t *testing.T, where, body, payload string, shown bool) {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); !strings.HasPrefix(src, "/static/app.") || strings.TrimSpace(s.Text()) != "" {
			t.Errorf("%s: injected script element %q", where, goquery.NewDocumentFromNode(s.Nodes[0]).Text())
		}
	})
	if n := doc.Find("iframe, object, embed, body style, body link, base, meta[http-equiv]").Length(); n != 0 {
		t.Errorf("%s: %d injected active elements", where, n)
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			// The app itself focuses the log-in email and, after a post, the
			// room's one message box.
			appFocus := s.Is("#email") || s.Is("textarea#body") && doc.Find("#body").Length() == 1
			if strings.HasPrefix(name, "on") || name == "autofocus" && s.Is("textarea, input") && !appFocus {
				t.Errorf("%s: injected attribute %s=%q on <%s>", where, a.Key, a.Val, s.Nodes[0].Data)
			}
			if name == "href" || name == "src" || name == "action" || name == "formaction" {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:") {
					t.Errorf("%s: dangerous URL %s=%q", where, a.Key, a.Val)
				}
			}
		}
	})
	if doc.Find("img[src=x], svg[onload]").Length() != 0 {
		t.Errorf("%s: injected image or svg", where)
	}
	if shown && !strings.Contains(doc.Text(), strings.TrimSpace(payload)) && !attrHolds(doc, payload) {
		t.Errorf("%s: the payload is not shown as text at all (was it dropped or mangled?)", where)
	}
}

// attrHolds reports whether a form field's value holds the payload (edit
// forms show it there rather than as text).
func attrHolds(doc *goquery.Document, payload string) bool {
	found := false
	doc.Find("input").Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("value"); strings.Contains(v, payload) {
			found = true
		}
	})
	return found
}

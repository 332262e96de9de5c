package tests

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// forgeSession replaces the visitor's session cookie with one the app
// cannot open, as a browser holding a cookie from before a key rotation
// (or a tampered one) would.
func (v *visitor) forgeSession() {
	u, _ := url.Parse(v.base)
	v.c.Jar.SetCookies(u, []*http.Cookie{{Name: "coolroom_session", Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Path: "/"}})
}

// loginFollowing logs the visitor in through the login page a redirect
// sent them to (its hidden next field), checks the flash that page shows,
// and returns where the login sends them.
func (v *visitor) loginFollowing(loginURL, wantFlash string) string {
	v.t.Helper()
	doc := v.page(loginURL, http.StatusOK)
	if got := doc.Find(".flash").Text(); !strings.Contains(got, wantFlash) {
		v.t.Errorf("login page flash %q, want it to say %q", got, wantFlash)
	}
	next, _ := doc.Find(`input[name="next"]`).Attr("value")
	resp := v.post("/login", url.Values{"email": {v.Email}, "password": {v.Password}, "next": {next}})
	readAll(v.t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		v.t.Fatalf("login = %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// TestTypedTextSurvivesAnEndedSession: a post made after the session
// ended (a forged or expired cookie, or a token the data service rejects
// with 401) sends the user to log in, and the form they come back to
// holds what they typed; nothing was posted meanwhile.
func TestTypedTextSurvivesAnEndedSession(t *testing.T) {
	st := sharedStack(t)
	erin := registered(t, st.AppURL, "erin")
	room := erin.createRoom("Drafts room", "Drafts", "before")
	roomPath := fmt.Sprintf("/room/%d", room)
	text := "a long thought <b>not</b> to lose\nover two lines"

	messagesWith := func(body string) int {
		n := 0
		for _, m := range texts(newVisitor(t, st.AppURL).page(roomPath, http.StatusOK).Find("#messages .message-body")) {
			if m == squeeze(body) {
				n++
			}
		}
		return n
	}

	t.Run("message posted with a forged session cookie", func(t *testing.T) {
		erin.forgeSession()
		resp := erin.post(roomPath, url.Values{"body": {text}})
		readAll(t, resp)
		loginURL := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || loginURL != "/login?next="+url.QueryEscape(roomPath) {
			t.Fatalf("post with a forged session = %d → %q", resp.StatusCode, loginURL)
		}
		if back := erin.loginFollowing(loginURL, "What you typed has been kept"); back != roomPath {
			t.Fatalf("login sends erin to %q, want %q", back, roomPath)
		}
		doc := erin.page(roomPath, http.StatusOK)
		if got := doc.Find("form.message-form textarea#body").Text(); got != text {
			t.Errorf("the message form holds %q, want the kept text", got)
		}
		if got := doc.Find("#draft-notice").Text(); !strings.Contains(got, "has not been sent") {
			t.Errorf("draft notice %q", got)
		}
		if n := messagesWith(text); n != 0 {
			t.Errorf("the kept text was posted %d times; it must wait for Send", n)
		}
		// Shown once: the next visit has an empty form.
		doc = erin.page(roomPath, http.StatusOK)
		if got := doc.Find("textarea#body").Text(); got != "" || doc.Find("#draft-notice").Length() != 0 {
			t.Errorf("the draft came back a second time: %q", got)
		}
	})

	t.Run("new room posted with a forged session cookie", func(t *testing.T) {
		erin.forgeSession()
		resp := erin.post("/create-room", url.Values{"name": {"Kept room name"}, "topic": {"Kept topic"}, "description": {"kept\ndescription"}})
		readAll(t, resp)
		if back := erin.loginFollowing(resp.Header.Get("Location"), "kept"); back != "/create-room" {
			t.Fatalf("login sends erin to %q", back)
		}
		doc := erin.page("/create-room", http.StatusOK)
		name, _ := doc.Find("#name").Attr("value")
		topic, _ := doc.Find("#topic").Attr("value")
		if name != "Kept room name" || topic != "Kept topic" || doc.Find("#description").Text() != "kept\ndescription" {
			t.Errorf("create form holds %q / %q / %q", name, topic, doc.Find("#description").Text())
		}
	})

	t.Run("message and room edit refused with 401 (token no longer valid)", func(t *testing.T) {
		// A second browser of erin's, logged in before the rotation.
		laptop := newVisitor(t, st.AppURL)
		laptop.Email, laptop.Password = erin.Email, erin.Password
		readAll(t, laptop.post("/login", url.Values{"email": {erin.Email}, "password": {erin.Password}}))
		// Rotating the data service's token secret makes it answer 401 to
		// every token it issued before: the app's cookies are intact, the
		// tokens inside are not.
		setEnv(t, st, map[string]string{"TOKEN_SECRET": "rotated-secret-" + uniqueName("s")})
		restored := false
		restore := func() {
			if !restored {
				restored = true
				setEnv(t, st, nil)
			}
		}
		defer restore()

		resp := erin.post(roomPath, url.Values{"body": {text}})
		readAll(t, resp)
		msgLogin := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || msgLogin != "/login?next="+url.QueryEscape(roomPath) {
			t.Fatalf("post with a rejected token = %d → %q", resp.StatusCode, msgLogin)
		}
		editPath := fmt.Sprintf("/update-room/%d", room)
		resp = laptop.post(editPath, url.Values{"name": {"Renamed while expired"}, "topic": {"Drafts"}, "description": {""}})
		readAll(t, resp)
		editLogin := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || editLogin != "/login?next="+url.QueryEscape(editPath) {
			t.Fatalf("room edit with a rejected token = %d → %q", resp.StatusCode, editLogin)
		}
		restore()

		if back := erin.loginFollowing(msgLogin, "session has expired"); back != roomPath {
			t.Fatalf("login sends erin to %q", back)
		}
		doc := erin.page(roomPath, http.StatusOK)
		if got := doc.Find("textarea#body").Text(); got != text {
			t.Errorf("after a 401 the message form holds %q, want the kept text", got)
		}
		if n := messagesWith(text); n != 0 {
			t.Errorf("the text refused with 401 was posted %d times", n)
		}
		if got := doc.Find("#room-title").Text(); got != "Drafts room" {
			t.Errorf("the refused edit changed the room: %q", got)
		}
		if back := laptop.loginFollowing(editLogin, "session has expired"); back != editPath {
			t.Fatalf("login sends the laptop to %q", back)
		}
		doc = laptop.page(editPath, http.StatusOK)
		name, _ := doc.Find("#name").Attr("value")
		if name != "Renamed while expired" || doc.Find("#description").Text() != "" || doc.Find("#draft-notice").Length() != 1 {
			t.Errorf("edit form holds %q / %q (notice %d), want the kept edit, description cleared",
				name, doc.Find("#description").Text(), doc.Find("#draft-notice").Length())
		}
	})
}

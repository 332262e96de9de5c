package tests

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestCopiedSessionCookieDiesWithLogout: a session cookie copied before
// logout (stolen, or left in another tab's jar) used to keep working for
// 24 hours. Logout now ends the session in the data service, so through
// the real stack the copy can neither read the private profile form nor
// post.
func TestCopiedSessionCookieDiesWithLogout(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	fay := registered(t, st.AppURL, "fay")
	room := fay.createRoom("Logout test "+uniqueName("r"), "Security", "")
	u, _ := url.Parse(st.AppURL)
	thief := newVisitor(t, st.AppURL)
	thief.c.Jar.SetCookies(u, fay.c.Jar.Cookies(u))
	if doc := thief.page("/update-user", http.StatusOK); doc.Find("#email").AttrOr("value", "") != fay.Email {
		t.Fatal("the copied cookie did not work before logout; the test proves nothing")
	}

	resp := fay.post("/logout", nil)
	if readAll(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %d", resp.StatusCode)
	}
	if flash := fay.page("/", http.StatusOK).Find(".flash").Text(); !strings.Contains(flash, "You have been logged out.") {
		t.Errorf("flash after logout %q", flash)
	}

	resp = thief.get("/update-user")
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("GET /update-user with the copied cookie = %d → %q, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if strings.Contains(body, fay.Email) {
		t.Error("the copied cookie still shows fay's email")
	}
	resp = thief.post("/room/"+strconv.FormatInt(room, 10), url.Values{"body": {"posted with a dead session"}})
	if readAll(t, resp); resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "#message-") {
		t.Error("the copied cookie posted a message after logout")
	}
	if n := newVisitor(t, st.AppURL).page("/room/"+strconv.FormatInt(room, 10), http.StatusOK).Find(".message").Length(); n != 0 {
		t.Errorf("%d messages in the room, want 0", n)
	}
}

package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// postWithoutSession posts form to path through requireLogin with the
// given session cookie value ("" for none).
func postWithoutSession(a *App, path string, form url.Values, cookie string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie != "" {
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	}
	w := httptest.NewRecorder()
	h := a.loadSession(a.requireLogin(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("the handler ran without a session")
	})))
	h.ServeHTTP(w, r)
	return w
}

// loggedIn returns a request for path carrying a session for user and
// the cookies the earlier response set.
func loggedIn(path string, user int64, prev *httptest.ResponseRecorder) *http.Request {
	r := httptest.NewRequest("GET", path, nil)
	for _, c := range prev.Result().Cookies() {
		if c.MaxAge >= 0 && c.Value != "" {
			r.AddCookie(c)
		}
	}
	s := &session{Token: "t", User: contract.UserSummary{ID: user}, Expires: time.Now().Add(time.Hour)}
	return r.WithContext(context.WithValue(r.Context(), sessionKey{}, s))
}

func TestDraftKeptAcrossLogin(t *testing.T) {
	a := testApp(t)
	expired, _ := a.cookies.seal(sessionCookie, session{Token: "t", User: contract.UserSummary{ID: 7}, Expires: time.Now().Add(-time.Minute)})
	w := postWithoutSession(a, "/room/3", url.Values{"body": {"keep <me>"}}, expired)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login?next=%2Froom%2F3" {
		t.Fatalf("post without a session = %d → %q", w.Code, w.Header().Get("Location"))
	}
	// Another user, another form: nothing.
	if f := a.takeDraft(httptest.NewRecorder(), loggedIn("/room/3", 7, w), "/create-room"); f != nil {
		t.Errorf("draft for /room/3 given to /create-room: %v", f)
	}
	if f := a.takeDraft(httptest.NewRecorder(), loggedIn("/room/3", 8, w), "/room/3"); f != nil {
		t.Errorf("user 7's draft given to user 8: %v", f)
	}
	w2 := httptest.NewRecorder()
	if f := a.takeDraft(w2, loggedIn("/room/3", 7, w), "/room/3"); f["body"] != "keep <me>" {
		t.Fatalf("draft = %v", f)
	}
	if del := w2.Result().Cookies(); len(del) != 1 || del[0].Name != draftCookie || del[0].MaxAge >= 0 {
		t.Errorf("draft cookie not cleared after use: %+v", del)
	}
}

func TestDraftTooLargeForACookieIsShownOnTheLoginPage(t *testing.T) {
	a := testApp(t)
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	a.pages = p
	long := strings.Repeat("é long text ", 400)
	w := postWithoutSession(a, "/room/3", url.Values{"body": {long}}, "")
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("status %d, want the login page", w.Code)
	}
	body := w.Body.String()
	if !strings.Contains(body, `<textarea id="kept-0" class="kept-text" rows="4" readonly>`+long) || !strings.Contains(body, `value="/room/3"`) {
		t.Errorf("login page lacks the text or next: %s", body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == draftCookie {
			t.Errorf("an oversized draft cookie was set (%d bytes)", len(c.Value))
		}
	}
}

func TestNothingTypedKeepsNoDraft(t *testing.T) {
	a := testApp(t)
	w := postWithoutSession(a, "/delete-room/3", url.Values{"body": {"  "}, "password": {"secret"}}, "")
	if w.Header().Get("Location") != "/login?next=%2Fdelete-room%2F3" {
		t.Errorf("Location %q", w.Header().Get("Location"))
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == draftCookie {
			t.Error("a draft was kept with nothing typed")
		}
	}
}

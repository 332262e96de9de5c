package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

func testApp(t *testing.T) *App {
	t.Helper()
	s, err := newSealer([]byte("test secret"))
	if err != nil {
		t.Fatal(err)
	}
	return &App{cookies: s, log: discardLogger()}
}

func TestSealerRoundTripAndTamper(t *testing.T) {
	a := testApp(t)
	in := session{Token: "tok", User: contract.UserSummary{ID: 7, Username: "ann"}, Expires: time.Now().Add(time.Hour).Round(0)}
	v, err := a.cookies.seal(sessionCookie, in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(v, "tok") || strings.Contains(v, "ann") {
		t.Fatalf("sealed value %q shows its content", v)
	}
	var out session
	if err := a.cookies.open(sessionCookie, v, &out); err != nil || out.Token != "tok" || out.User.ID != 7 {
		t.Fatalf("open = %+v, %v", out, err)
	}
	// Flip one character: authentication must fail.
	b := []byte(v)
	b[len(b)/2] ^= 1
	if err := a.cookies.open(sessionCookie, string(b), &out); err == nil {
		t.Error("a tampered cookie was accepted")
	}
	// A flash cookie value cannot be replayed as the session.
	if err := a.cookies.open(flashCookie, v, &out); err == nil {
		t.Error("a value sealed for one cookie opened as another")
	}
	// Another key cannot open it.
	other, _ := newSealer([]byte("other secret"))
	if err := other.open(sessionCookie, v, &out); err == nil {
		t.Error("a cookie opened with another key")
	}
	if _, err := newSealer(nil); err == nil {
		t.Error("empty key accepted")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	a := testApp(t)
	for _, tc := range []struct {
		name   string
		https  bool
		secure bool
	}{{"plain HTTP", false, false}, {"behind a TLS load balancer", true, true}} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/login", nil)
			if tc.https {
				r.Header.Set("X-Forwarded-Proto", "https")
			}
			w := httptest.NewRecorder()
			res := &contract.AuthResult{Token: "tok", User: contract.User{ID: 1, Username: "ann"}, Expires: time.Now().Add(time.Hour)}
			if err := a.startSession(w, r, res); err != nil {
				t.Fatal(err)
			}
			c := w.Result().Cookies()[0]
			if c.Name != sessionCookie || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure || c.Path != "/" {
				t.Errorf("cookie %+v", c)
			}
			// The next request with that cookie is logged in as ann.
			r2 := httptest.NewRequest("GET", "/", nil)
			r2.AddCookie(c)
			var got *session
			a.loadSession(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = currentSession(r) })).ServeHTTP(httptest.NewRecorder(), r2)
			if got == nil || got.User.Username != "ann" || got.Token != "tok" {
				t.Errorf("session after round trip = %+v", got)
			}
		})
	}
}

func TestExpiredOrForgedSessionIsAnonymous(t *testing.T) {
	a := testApp(t)
	expired, _ := a.cookies.seal(sessionCookie, session{Token: "t", Expires: time.Now().Add(-time.Minute)})
	for name, value := range map[string]string{"expired": expired, "forged": "bm90IGEgc2Vzc2lvbg"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: value})
		var got *session
		a.loadSession(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = currentSession(r) })).ServeHTTP(httptest.NewRecorder(), r)
		if got != nil {
			t.Errorf("%s cookie gave a session %+v", name, got)
		}
	}
}

func TestFlashIsShownOnce(t *testing.T) {
	a := testApp(t)
	w := httptest.NewRecorder()
	a.addFlash(w, httptest.NewRequest("POST", "/", nil), "success", "Room created.")
	c := w.Result().Cookies()[0]
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	w2 := httptest.NewRecorder()
	got := a.takeFlashes(w2, r)
	if len(got) != 1 || got[0].Text != "Room created." || got[0].Kind != "success" {
		t.Fatalf("flashes = %+v", got)
	}
	if del := w2.Result().Cookies(); len(del) != 1 || del[0].MaxAge >= 0 {
		t.Errorf("flash cookie not cleared: %+v", del)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "/",
		"/room/3":                   "/room/3",
		"/room/3?x=1#message-2":     "/room/3?x=1#message-2",
		"//evil.example/":           "/",
		"/\\evil.example":           "/",
		"https://evil.example/":     "/",
		"javascript:alert(1)":       "/",
		"room/3":                    "/",
		"/%0d%0aSet-Cookie:x":       "/%0d%0aSet-Cookie:x",
		"/ok\r\nLocation: http://x": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

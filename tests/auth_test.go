package tests

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestAuthPages(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)

	t.Run("register form has labelled fields", func(t *testing.T) {
		doc := newVisitor(t, st.AppURL).page("/register", http.StatusOK)
		for _, id := range []string{"name", "username", "email", "password", "password2"} {
			if doc.Find("form input#"+id).Length() != 1 || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("field %s missing or unlabelled", id)
			}
		}
	})

	t.Run("mismatched passwords are refused and nothing is echoed", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		name := uniqueName("mis")
		resp := v.post("/register", url.Values{"name": {"Mis Match"}, "username": {name}, "email": {name + "@example.test"},
			"password": {"Quiet-lantern-42-river"}, "password2": {"Other-lantern-43"}})
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", resp.StatusCode)
		}
		doc := parse(t, body)
		if got := doc.Find(".field-error").Text(); !strings.Contains(got, "do not match") {
			t.Errorf("field errors %q", got)
		}
		if v, _ := doc.Find("#username").Attr("value"); v != name {
			t.Errorf("username not kept: %q", v)
		}
		if strings.Contains(body, "Quiet-lantern-42-river") {
			t.Error("the password was echoed into the page")
		}
		// Nothing was created: logging in fails.
		if resp := v.post("/login", url.Values{"email": {name + "@example.test"}, "password": {"Quiet-lantern-42-river"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("login to an account that should not exist = %d", resp.StatusCode)
		}
	})

	alice := registered(t, st.AppURL, "alice")

	t.Run("registration logs in with a flash and a lower-case username", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		name := uniqueName("Mixed")
		resp := v.post("/register", url.Values{"name": {"Mixed Case"}, "username": {name}, "email": {strings.ToLower(name) + "@example.test"},
			"password": {"Quiet-lantern-42-river"}, "password2": {"Quiet-lantern-42-river"}})
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
			t.Fatalf("register = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		doc := v.page("/", http.StatusOK)
		if got := doc.Find(".account .me-name").Text(); got != "@"+strings.ToLower(name) {
			t.Errorf("header shows %q, want @%s", got, strings.ToLower(name))
		}
		if got := doc.Find(".flash-success").Text(); !strings.Contains(got, "Welcome") {
			t.Errorf("flash = %q", got)
		}
		// A flash is shown once.
		if doc := v.page("/", http.StatusOK); doc.Find(".flash").Length() != 0 {
			t.Error("the flash came back on the next page")
		}
	})

	t.Run("a taken username or email is reported on the field", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		resp := v.post("/register", url.Values{"name": {"Copy"}, "username": {alice.Username}, "email": {uniqueName("c") + "@example.test"},
			"password": {"Quiet-lantern-42-river"}, "password2": {"Quiet-lantern-42-river"}})
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusConflict && resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("status %d", resp.StatusCode)
		}
		if got := doc.Find(".field-error").Text(); !strings.Contains(strings.ToLower(got), "username") {
			t.Errorf("field errors %q", got)
		}
	})

	t.Run("session cookie is HttpOnly and SameSite=Lax", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		resp := v.post("/login", url.Values{"email": {alice.Email}, "password": {alice.Password}})
		readAll(t, resp)
		var sc string
		for _, c := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(c, "coolroom_session=") {
				sc = c
			}
		}
		if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") || strings.Contains(sc, "Secure") {
			t.Errorf("Set-Cookie %q: want HttpOnly, SameSite=Lax, and no Secure over plain HTTP", sc)
		}
		if strings.Contains(sc, alice.Username) || strings.Contains(sc, "eyJ") {
			t.Errorf("session cookie shows its content: %q", sc)
		}
	})

	t.Run("login failure is generic and keeps the email", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		resp := v.post("/login", url.Values{"email": {alice.Email}, "password": {"wrong-password-1"}})
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d", resp.StatusCode)
		}
		if got := doc.Find(".alert").Text(); !strings.Contains(got, "do not match") {
			t.Errorf("alert %q", got)
		}
		if v, _ := doc.Find("#email").Attr("value"); v != alice.Email {
			t.Errorf("email not kept: %q", v)
		}
		if doc.Find(".account .me").Length() != 0 {
			t.Error("logged in after a failed login")
		}
	})

	t.Run("next redirects stay on this site", func(t *testing.T) {
		for next, want := range map[string]string{
			"/topics":                "/topics",
			"//evil.example/x":       "/",
			"https://evil.example/x": "/",
			"/\\evil.example":        "/",
		} {
			v := newVisitor(t, st.AppURL)
			doc := v.page("/login?next="+url.QueryEscape(next), http.StatusOK)
			hidden, _ := doc.Find(`input[name="next"]`).Attr("value")
			resp := v.post("/login", url.Values{"email": {alice.Email}, "password": {alice.Password}, "next": {hidden}})
			readAll(t, resp)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
				t.Errorf("next=%q → %d %q, want %q", next, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}
	})

	t.Run("login-only pages send visitors to login and back", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		resp := v.get("/create-room")
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fcreate-room" {
			t.Fatalf("anonymous /create-room = %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp = v.post("/login", url.Values{"email": {alice.Email}, "password": {alice.Password}, "next": {"/create-room"}})
		readAll(t, resp)
		if resp.Header.Get("Location") != "/create-room" {
			t.Fatalf("after login → %q", resp.Header.Get("Location"))
		}
		doc := v.page("/create-room", http.StatusOK)
		if doc.Find("form #topic").Length() != 1 {
			t.Error("create-room form not shown after login")
		}
		// Logged-in users are sent away from login and register.
		for _, p := range []string{"/login", "/register"} {
			resp := v.get(p)
			readAll(t, resp)
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("logged-in GET %s = %d, want a redirect", p, resp.StatusCode)
			}
		}
	})

	t.Run("logout is a POST and ends the session", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		readAll(t, v.post("/login", url.Values{"email": {alice.Email}, "password": {alice.Password}}))
		if resp := v.get("/logout"); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET /logout = %d, want 405", resp.StatusCode)
		}
		if doc := v.page("/", http.StatusOK); doc.Find(".account .me").Length() != 1 {
			t.Fatal("GET /logout logged the user out")
		}
		resp := v.post("/logout", nil)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /logout = %d", resp.StatusCode)
		}
		doc := v.page("/", http.StatusOK)
		if doc.Find(".account .me").Length() != 0 || doc.Find(`.account a[href="/login"]`).Length() != 1 {
			t.Error("still logged in after logout")
		}
		if got := doc.Find(".flash").Text(); !strings.Contains(got, "logged out") {
			t.Errorf("flash %q", got)
		}
	})

	t.Run("a forged session cookie is ignored", func(t *testing.T) {
		v := newVisitor(t, st.AppURL)
		u, _ := url.Parse(st.AppURL)
		v.c.Jar.SetCookies(u, []*http.Cookie{{Name: "coolroom_session", Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}})
		doc := v.page("/", http.StatusOK)
		if doc.Find(".account .me").Length() != 0 {
			t.Error("a forged cookie logged someone in")
		}
	})
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	bob := registered(t, st.AppURL, "bob")
	room := bob.createRoom("CSRF target "+uniqueName("r"), "Security", "")
	for _, path := range []string{"/logout", "/room/" + strconv.FormatInt(room, 10), "/delete-room/" + strconv.FormatInt(room, 10), "/create-room", "/update-user"} {
		req, _ := http.NewRequest(http.MethodPost, st.AppURL+path, strings.NewReader("body=csrf&name=csrf&topic=csrf"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp := bob.do(req)
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s = %d, want 403", path, resp.StatusCode)
		}
		if got := doc.Find("h1").Text(); got != "Request refused" {
			t.Errorf("cross-origin POST %s page title %q", path, got)
		}
		if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Content-Type-Options") != "nosniff" ||
			resp.Header.Get("X-Frame-Options") != "DENY" || resp.Header.Get("Referrer-Policy") == "" {
			t.Errorf("cross-origin POST %s: the 403 page lacks the security headers: %v", path, resp.Header)
		}
	}
	// Nothing changed: still logged in, room intact, no message.
	doc := bob.page("/room/"+strconv.FormatInt(room, 10), http.StatusOK)
	if doc.Find(".message").Length() != 0 || doc.Find(".account .me").Length() != 1 {
		t.Error("a cross-origin POST changed something")
	}
	// The same form from our own origin works.
	req, _ := http.NewRequest(http.MethodPost, st.AppURL+"/room/"+strconv.FormatInt(room, 10), strings.NewReader("body=same-origin"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", st.AppURL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if resp := bob.do(req); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST = %d, want 303", resp.StatusCode)
	}
}

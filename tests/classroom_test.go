package tests

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coolroom/testbed/internal/classroom"
)

// TestDemoClassroom seeds the classroom `coolroom up` starts with into a
// fresh stack through API Gateway, then checks what a student sees: the
// rooms, topics and activity on the home page, a demo login, avatars
// served from S3; and that a second seed adds nothing.
func TestDemoClassroom(t *testing.T) {
	t.Parallel()
	st, skip, err := startStackWith("", testLogger(t), "classroom")
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	ctx := context.Background()
	seed := func() *classroom.Result {
		t.Helper()
		res, err := st.SeedClassroom(ctx, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := seed()
	if res.Skipped || len(res.Logins) < 4 || len(res.Logins) > 6 || res.Topics < 3 || res.Topics > 4 ||
		res.Rooms < 8 || res.Rooms > 12 || res.Messages < 24 {
		t.Fatalf("seeded %+v; want 4–6 users, 3–4 topics, 8–12 rooms, a few dozen messages", res)
	}

	anon := newVisitor(t, st.AppURL)
	if n := roomCount(t, st.AppURL+"/"); n != res.Rooms {
		t.Errorf("home page says %d rooms available, want the %d seeded", n, res.Rooms)
	}
	activity := anon.page("/activity", http.StatusOK).Text()
	inRooms := 0
	for _, name := range []string{"Lambda cold starts, explained", "PostgreSQL indexes 101", "Goroutines and channels"} {
		if strings.Contains(activity, name) {
			inRooms++
		}
	}
	if inRooms < 2 {
		t.Errorf("the activity feed shows messages of %d of 3 busy rooms, want a mix", inRooms)
	}
	topics := anon.page("/topics", http.StatusOK).Text()
	for _, name := range []string{"Cloud", "Databases", "Python", "Go"} {
		if !strings.Contains(topics, name) {
			t.Errorf("topics page lacks %q", name)
		}
	}

	// A demo user logs in with the printed credentials and has an avatar
	// that the app streams from S3.
	login := res.Logins[1]
	v := newVisitor(t, st.AppURL)
	resp := v.post("/login", url.Values{"email": {login.Email}, "password": {login.Password}})
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s = %d, want 303", login.Email, resp.StatusCode)
	}
	me := v.page("/", http.StatusOK)
	if got := strings.TrimSpace(me.Find(".account .me").Text()); got != "@"+strings.TrimSuffix(login.Email, "@example.edu") {
		t.Errorf("header after login shows %q, want the demo user %s", got, login.Email)
	}
	href, _ := me.Find(".account .me").Attr("href")
	profile := v.page(href, http.StatusOK)
	src, ok := profile.Find("img[src*='/avatars/']").First().Attr("src")
	if !ok {
		t.Fatalf("profile %s shows no uploaded avatar", href)
	}
	img := v.get(src)
	readAll(t, img)
	if img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
		t.Errorf("avatar %s = %d %s, want 200 image/png", src, img.StatusCode, img.Header.Get("Content-Type"))
	}

	// The seed went through API Gateway like any client: the console saw it.
	var traces struct {
		Traces []struct {
			Method string `json:"method"`
			Path   string `json:"path"`
		} `json:"traces"`
	}
	getJSON(t, st.EmulatorURL+"/_console/api/traces", &traces)
	posts := 0
	for _, tr := range traces.Traces {
		if tr.Method == http.MethodPost && strings.HasSuffix(tr.Path, "/messages") {
			posts++
		}
	}
	if posts == 0 {
		t.Errorf("the console recorded no message posts among %d traces", len(traces.Traces))
	}

	if again := seed(); !again.Skipped {
		t.Errorf("a second seed into a classroom in use was not skipped: %+v", again)
	}
	if n := roomCount(t, st.AppURL+"/"); n != res.Rooms {
		t.Errorf("after the second seed %d rooms, want %d", n, res.Rooms)
	}
}

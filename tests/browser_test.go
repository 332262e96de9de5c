package tests

import (
	"context"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestBrowser drives a real Chromium through the whole user journey:
// register, log out, log in, create a room with a new topic, post, see
// the message arrive in a second browser context without a reload (and a
// newcomer join the participants list),
// upload an avatar, log out. It saves screenshots for design review.
func TestBrowser(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	base := st.AppURL

	shots, err := os.MkdirTemp("", "coolroom-screens-")
	if err != nil {
		t.Fatal(err)
	}
	browserA := browsertest.Tab(t, 1360, 900)
	ctx, cancel := context.WithTimeout(browserA, 3*time.Minute)
	defer cancel()

	do := func(c context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, a := range actions {
			sc, cancel := context.WithTimeout(c, 30*time.Second)
			err := chromedp.Do(sc, a)
			cancel()
			if err != nil {
				dc, cancel := context.WithTimeout(c, 10*time.Second)
				defer cancel()
				loc, _ := chromedp.Run(dc, chromedp.Location())
				if png, err := chromedp.Run(dc, chromedp.FullScreenshot(100)); err == nil {
					p := filepath.Join(shots, "failed.png")
					_ = os.WriteFile(p, png, 0o644)
					t.Logf("screenshot of the failure: %s", p)
				}
				t.Fatalf("%s, action %d: %v (at %s)", step, i+1, err, loc)
			}
		}
	}
	eval := func(c context.Context, expr string) string {
		t.Helper()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	shot := func(c context.Context, name string) {
		t.Helper()
		png, err := chromedp.Run(c, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		p := filepath.Join(shots, name+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	waitFor := func(expr string) chromedp.Action[chromedp.Void] { return browsertest.WaitFor(expr, 15*time.Second) }
	// messageShown waits until a message with exactly this text is in the
	// conversation.
	messageShown := func(text string) chromedp.Action[chromedp.Void] {
		return waitFor(`[...document.querySelectorAll("#messages .message-body")].some(p => p.textContent === ` + strconv.Quote(text) + `)`)
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	user := uniqueName("chrome")
	email := user + "@example.test"
	password := "Quiet-lantern-42-river"
	topic := "Browsers " + uniqueName("t")
	roomName := "Headless chat " + user

	do(ctx, "register",
		chromedp.Navigate(base+"/register"),
		chromedp.SendKeys(css("#name"), "Chrome Tester"),
		chromedp.SendKeys(css("#username"), user),
		chromedp.SendKeys(css("#email"), email),
		chromedp.SendKeys(css("#password"), password),
		chromedp.SendKeys(css("#password2"), password),
		chromedp.Click(css(`main form button[type="submit"]`)),
		chromedp.WaitVisible(css(".account .me")),
	)
	do(ctx, "log out",
		chromedp.Click(css(`.account form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`.account a[href="/login"]`)),
	)
	do(ctx, "log in",
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(css("#email"), email),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css(`main form button[type="submit"]`)),
		chromedp.WaitVisible(css(".account .me")),
	)
	if who := eval(ctx, `document.querySelector(".account .me-name").textContent`); who != "@"+user {
		t.Errorf("header shows %q", who)
	}

	do(ctx, "create a room with a new topic",
		chromedp.Click(css(`.feed-head a[href="/create-room"]`)),
		chromedp.WaitVisible(css("#topic")),
		chromedp.SendKeys(css("#topic"), topic),
		chromedp.SendKeys(css("#name"), roomName),
		chromedp.SendKeys(css("#description"), "Made by a real browser, driven by chromedp."),
		chromedp.Click(css(`main form button[type="submit"]`)),
		chromedp.WaitVisible(css("#room-title")),
	)
	roomURL, _ := chromedp.Run(ctx, chromedp.Location())
	if title, tag := eval(ctx, `document.querySelector("#room-title").textContent`), eval(ctx, `document.querySelector(".room-head .topic-tag").textContent`); title != roomName || tag != topic {
		t.Errorf("room page shows %q in %q", title, tag)
	}

	do(ctx, "post a message",
		chromedp.SendKeys(css("#body"), "Hello from browser A"),
		chromedp.Click(css(`.message-form button[type="submit"]`)),
		messageShown("Hello from browser A"),
	)

	// A second, separate browser context (own cookies) watches the room.
	browserB := browsertest.Tab(t, 1360, 900)
	do(browserB, "browser B opens the room",
		chromedp.Navigate(roomURL),
		messageShown("Hello from browser A"),
	)
	// This variable survives only if the page is never reloaded.
	eval(browserB, `window.__sameDocument = "yes"`)
	if anon := eval(browserB, `document.querySelector(".account .me") === null ? "anonymous" : "logged in"`); anon != "anonymous" {
		t.Error("browser B shares browser A's session: the contexts are not separate")
	}
	do(ctx, "post a second message",
		chromedp.SendKeys(css("#body"), "Live update for B"),
		chromedp.Click(css(`.message-form button[type="submit"]`)),
		messageShown("Live update for B"),
	)
	do(browserB, "browser B sees it without reloading", messageShown("Live update for B"))
	if got := eval(browserB, `document.querySelector("#participant-count").textContent`); got != "1" {
		t.Errorf("browser B shows %s participants before anyone else posts, want 1", got)
	}
	// Someone else posts for the first time: B sees them join, live.
	roomID, _ := strconv.ParseInt(roomURL[strings.LastIndex(roomURL, "/")+1:], 10, 64)
	joiner := registered(t, base, "joiner")
	joiner.postMessage(roomID, "Joining from plain HTTP")
	do(browserB, "browser B sees the newcomer join without reloading",
		messageShown("Joining from plain HTTP"),
		waitFor(`document.querySelector("#participant-count").textContent === "2" && [...document.querySelectorAll("#people .handle")].map(e => e.textContent).join(" ") === `+strconv.Quote("@"+user+" @"+joiner.Username)),
	)
	if marker := eval(browserB, `window.__sameDocument || "reloaded"`); marker != "yes" {
		t.Errorf("browser B reloaded the page (marker %q); the message must arrive live", marker)
	}
	shot(ctx, "room")

	avatar := filepath.Join(t.TempDir(), "avatar.png")
	if err := os.WriteFile(avatar, pngBytes(t, 96, 96, color.RGBA{R: 94, G: 214, B: 196, A: 255}), 0o644); err != nil {
		t.Fatal(err)
	}
	do(ctx, "upload an avatar",
		chromedp.Navigate(base+"/update-user"),
		chromedp.WaitVisible(css("#avatar")),
		chromedp.SetUploadFiles(css("#avatar"), []string{avatar}),
		chromedp.Click(css(`main form button[type="submit"]`)),
		waitFor(`(() => { const i = document.querySelector("#profile-avatar"); return !!i && i.complete && i.naturalWidth > 0; })()`),
	)
	shot(ctx, "profile")
	src := eval(ctx, `document.querySelector("#profile-avatar").getAttribute("src")`)
	width := eval(ctx, `String(document.querySelector("#profile-avatar").naturalWidth)`)
	if !strings.HasPrefix(src, "/avatars/") || width != "96" {
		t.Errorf("profile avatar %q rendered %s px wide, want the uploaded 96 px picture", src, width)
	}

	do(ctx, "home page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(css(".room-card")))
	shot(ctx, "home")

	// The phone layout: one column, topics and activity behind the menu.
	phone := browsertest.NewTab(t, browserA, 390, 844)
	do(phone, "phone home",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css(".room-card")),
	)
	if got := eval(phone, `getComputedStyle(document.querySelector("details.menu")).display + " " + getComputedStyle(document.querySelector(".col-topics")).display`); got != "block none" {
		t.Errorf("phone layout: menu and topics column display %q, want the menu shown and the column hidden", got)
	}
	shot(phone, "home-phone")
	do(phone, "mobile menu", chromedp.Click(css("details.menu summary")), chromedp.WaitVisible(css(`.menu-panel a[href="/topics"]`)))
	shot(phone, "menu-phone")
	do(phone, "phone room", chromedp.Navigate(roomURL), chromedp.WaitVisible(css("#room-title")))
	shot(phone, "room-phone")

	do(ctx, "log out at the end",
		chromedp.Click(css(`.account form[action="/logout"] button`)),
		chromedp.WaitVisible(css(`.account a[href="/login"]`)),
	)
	if flash := eval(ctx, `document.querySelector(".flash").textContent`); !strings.Contains(flash, "logged out") {
		t.Errorf("flash after logout %q", flash)
	}
}

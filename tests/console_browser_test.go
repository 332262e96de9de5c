package tests

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestConsoleShowsRoomCreatedInApp is the teaching moment in a real
// browser: the emulator's console is open in one tab, a room is created
// through the app in another, and the console shows the API Gateway call
// (POST /rooms) with its Lambda invocation without being reloaded.
func TestConsoleShowsRoomCreatedInApp(t *testing.T) {
	chrome := browsertest.Path()
	if chrome == "" {
		t.Skip("browser test needs Chromium at /usr/bin/chromium (apt-get install -y chromium) or COOLROOM_CHROMIUM")
	}
	st := sharedStack(t)
	skipUnlessEmulator(t, st)
	browser := browsertest.Start(t, chrome, 1360, 900)

	run := func(c context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Steps(t, c, step, actions...)
	}
	waitFor := func(expr string) chromedp.Action[chromedp.Void] { return browsertest.WaitFor(expr, 20*time.Second) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	consoleTab, cancelConsole := chromedp.NewContext(browser)
	defer cancelConsole()
	browsertest.OpenTab(t, consoleTab)
	run(consoleTab, "open the console",
		chromedp.Navigate(st.EmulatorURL+"/_console/"),
		chromedp.WaitVisible(css("#traces")),
		// This survives only if the console never reloads.
		chromedp.Evaluate[chromedp.Void](`window.__noReload = true`),
	)

	appTab, cancelApp := chromedp.NewContext(browser)
	defer cancelApp()
	browsertest.OpenTab(t, appTab)
	user := uniqueName("console")
	password := "Quiet-lantern-42-river"
	roomName := "Watched room " + user
	run(appTab, "register in the app",
		chromedp.Navigate(st.AppURL+"/register"),
		chromedp.SendKeys(css("#name"), "Console Watcher"),
		chromedp.SendKeys(css("#username"), user),
		chromedp.SendKeys(css("#email"), user+"@example.test"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.SendKeys(css("#password2"), password),
		chromedp.Click(css(`main form button[type="submit"]`)),
		chromedp.WaitVisible(css(".account .me")),
	)
	run(appTab, "create a room through the app",
		chromedp.Navigate(st.AppURL+"/create-room"),
		chromedp.WaitVisible(css("#topic")),
		chromedp.SendKeys(css("#topic"), "Teaching"),
		chromedp.SendKeys(css("#name"), roomName),
		chromedp.Click(css(`main form button[type="submit"]`)),
		chromedp.WaitVisible(css("#room-title")),
	)

	postRooms := `[...document.querySelectorAll("#traces .trace")].find(t =>
		t.querySelector(".method").textContent.trim() === "POST" && t.querySelector(".path").textContent.trim().endsWith("/rooms"))`
	run(consoleTab, "see the POST /rooms trace arrive live", waitFor(`!!(`+postRooms+`)`))
	if v, err := chromedp.Run(consoleTab, chromedp.Evaluate[bool](`window.__noReload === true`)); err != nil || !v {
		t.Errorf("the console reloaded (or failed: %v); the trace must arrive live", err)
	}
	status, err := chromedp.Run(consoleTab, chromedp.Evaluate[string](`(`+postRooms+`).textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "201"; !containsAll(status, want) {
		t.Errorf("the POST /rooms trace does not show status %s: %q", want, status)
	}
	// The trace carries the Lambda's own log lines, and they name the same
	// API Gateway request id: one id follows the request across hops.
	id, err := chromedp.Run(consoleTab, chromedp.Evaluate[string](`(`+postRooms+`).dataset.apigwId`))
	if err != nil || id == "" {
		t.Fatalf("trace has no API Gateway id (%v)", err)
	}
	logText, err := chromedp.Run(consoleTab, chromedp.Evaluate[string](`(`+postRooms+`).querySelector("details.log").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !containsAll(logText, "START RequestId", `"path":"/rooms"`, id) {
		t.Errorf("the trace's Lambda log lacks the request line or the gateway id %s:\n%s", id, logText)
	}
	png, err := chromedp.Run(consoleTab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "coolroom-console-")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "console-after-room.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

package tests

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/chromedp/chromedp"

	"github.com/coolroom/testbed/internal/browsertest"
	"github.com/coolroom/testbed/internal/drill"
	"github.com/coolroom/testbed/internal/drill/awsdrill"
)

// TestDrillsInTheConsole is the "break it" chapter in a real browser: the
// console is open in one tab and a room in another. For each drill the
// teacher clicks the function's drill button; the console says what each
// hop answers, the student's message fails with the app's 503 page that
// keeps the text, the console shows the failed call; Restore, then "Try
// again" posts the kept text. Screenshots of each step are saved (paths
// printed). The slow drill (30 s per call) is left to TestDrills.
func TestDrillsInTheConsole(t *testing.T) {
	chrome := browsertest.Path()
	if chrome == "" {
		t.Skip("browser test needs Chromium at /usr/bin/chromium (apt-get install -y chromium) or COOLROOM_CHROMIUM")
	}
	st := sharedStack(t)
	skipUnlessEmulator(t, st)
	fn := st.DeployConfig.FunctionName
	t.Cleanup(func() {
		_, _ = drill.Run(context.Background(), awsdrill.New(st.AWS, aws.ToString(endpoint(st))), fn, drill.Restore)
	})
	browser := browsertest.Start(t, chrome, 1280, 900)
	dir, err := os.MkdirTemp("", "coolroom-drills-")
	if err != nil {
		t.Fatal(err)
	}
	run := func(c context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Steps(t, c, step, actions...)
	}
	shot := func(c context.Context, name string) {
		t.Helper()
		// A page that has just navigated may not be laid out yet (0 width):
		// try again shortly.
		var png []byte
		var err error
		for range 20 {
			if png, err = chromedp.Run(c, chromedp.FullScreenshot(90)); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".jpg")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	waitFor := func(expr string) chromedp.Action[chromedp.Void] { return browsertest.WaitFor(expr, 20*time.Second) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	// The console swaps its live part in on every update, so a node found
	// a moment ago may be gone: click from inside the page.
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`document.querySelector(` + q(sel) + `).click()`)
	}

	student := registered(t, st.AppURL, "student")
	room := student.createRoom("Break it room", "Drills", "")
	appTab, cancelApp := chromedp.NewContext(browser)
	defer cancelApp()
	browsertest.OpenTab(t, appTab)
	run(appTab, "log in", chromedp.Navigate(st.AppURL+"/login"),
		chromedp.SendKeys(css("#email"), student.Email), chromedp.SendKeys(css("#password"), student.Password),
		chromedp.Click(css(`main form button[type="submit"]`)), chromedp.WaitVisible(css(".account .me")))

	consoleTab, cancelConsole := chromedp.NewContext(browser)
	defer cancelConsole()
	browsertest.OpenTab(t, consoleTab)
	run(consoleTab, "open the console", chromedp.Navigate(st.EmulatorURL+"/_console/"), chromedp.WaitVisible(css("#fn-"+fn+" form.drills")))

	for _, kind := range []string{drill.Crash, drill.Throttle, drill.DBDown} {
		// The student has the room open before the teacher breaks the function.
		run(appTab, "open the room", chromedp.Navigate(fmt.Sprintf("%s/room/%d", st.AppURL, room)),
			chromedp.WaitVisible(css("form.message-form #body")))
		button := fmt.Sprintf("#fn-%s form.drills button.drill-%s", fn, kind)
		run(consoleTab, "click "+kind, click(button),
			waitFor(`document.querySelector("#drill .drill-name")?.textContent === `+q(kind)),
			waitFor(`document.querySelector("#fn-`+fn+` .drill-on")?.textContent === `+q("drill: "+kind)))
		text := "typed while the teacher ran " + kind
		run(appTab, "post during "+kind,
			chromedp.SendKeys(css("form.message-form #body"), text),
			chromedp.Click(css(`form.message-form button[type="submit"]`)),
			waitFor(`document.querySelector("h1")?.textContent === "The data service is unavailable"`),
			waitFor(`document.querySelector("form.resend textarea#body")?.value === `+q(text)))
		shot(appTab, kind+"-app")
		run(consoleTab, "see the failed call",
			waitFor(`[...document.querySelectorAll("#traces .trace")].some(t => t.querySelector(".status")?.textContent.trim() === "500" && t.querySelector(".path")?.textContent.includes("/messages"))`))
		shot(consoleTab, kind+"-console")
		run(consoleTab, "restore", click(fmt.Sprintf("#fn-%s form.drills button.drill-restore", fn)),
			waitFor(`document.querySelector("#drill .drill-name")?.textContent === "restore"`),
			waitFor(`!document.querySelector("#fn-`+fn+` .drill-on")`))
		run(appTab, "try again", chromedp.Click(css(`form.resend button[type="submit"]`)),
			waitFor(`[...document.querySelectorAll(".message")].some(m => m.textContent.includes(`+q(text)+`))`))
		shot(appTab, kind+"-restored")
	}
}

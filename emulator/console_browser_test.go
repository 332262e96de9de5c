package emulator_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestConsoleLiveTraceInBrowser opens the console in a real Chromium,
// sends a request through the API from the test (as the app would when a
// room is created), and sees its trace appear without a reload. It saves
// a screenshot and prints its path.
func TestConsoleLiveTraceInBrowser(t *testing.T) {
	t.Parallel()
	a, _ := consoleFixture(t)
	a.do(t, http.MethodGet, "/items/1", nil, "") // an earlier request, so the new one has company

	shots, err := os.MkdirTemp("", "coolroom-console-")
	if err != nil {
		t.Fatal(err)
	}
	browser := browsertest.Tab(t, 1440, 1000)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()

	waitFor := func(expr string) chromedp.Action[chromedp.Void] { return browsertest.WaitFor(expr, 15*time.Second) }
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for i, act := range actions {
			if err := chromedp.Do(ctx, act); err != nil {
				if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
					p := filepath.Join(shots, "failed.png")
					_ = os.WriteFile(p, png, 0o644)
					t.Logf("screenshot of the failure: %s", p)
				}
				t.Fatalf("%s, action %d: %v", step, i+1, err)
			}
		}
	}

	run("open the console",
		chromedp.Navigate(a.srv.URL+"/_console/"),
		waitFor(`document.querySelector("#live-status").textContent === "live"`),
		// A marker that a reload would wipe.
		chromedp.Evaluate[chromedp.Void](`window.__noReload = true`),
	)
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#traces .trace:not(.s3)").length`))
	if err != nil || before != 1 {
		t.Fatalf("traces before: %d (%v), want 1", before, err)
	}

	resp, _ := a.do(t, http.MethodGet, "/items/42", nil, "")
	id := resp.Header.Get("Apigw-Requestid")
	sel := `#traces .trace[data-apigw-id=` + strconv.Quote(id) + `]`
	run("see the new trace arrive",
		waitFor(`!!document.querySelector(`+strconv.Quote(sel)+`)`),
		waitFor(`document.querySelectorAll("#traces .trace")[0].dataset.apigwId === `+strconv.Quote(id)),
	)
	reloaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload !== true`))
	if err != nil || reloaded {
		t.Fatalf("the page reloaded (%v) instead of updating in place", err)
	}
	route, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel+` .route`)+`).textContent`))
	if err != nil || route != "GET /items/{id}" {
		t.Errorf("trace route = %q (%v)", route, err)
	}

	// Open the new trace's log for the picture, then search by its id in place.
	run("open the log", chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(sel+` details.log`)+`).open = true`))
	time.Sleep(300 * time.Millisecond) // let the "new" highlight settle a little
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(shots, "console.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)

	run("search by the gateway request id",
		chromedp.SetValue(chromedp.CSS(`#search input[name=q]`), id),
		chromedp.Click(chromedp.CSS(`#search button`)),
		waitFor(`document.querySelectorAll("#traces .trace:not(.s3)").length === 1 && document.querySelector("#traces .trace").dataset.apigwId === `+strconv.Quote(id)),
		waitFor(`!!document.querySelector("#traces pre.log .line.match")`),
	)
	if still, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__noReload === true`)); !still {
		t.Error("searching reloaded the page")
	}
	png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		p := filepath.Join(shots, "console-search.png")
		_ = os.WriteFile(p, png, 0o644)
		t.Logf("screenshot: %s", p)
	}
}

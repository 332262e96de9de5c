package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coolroom/testbed/internal/config"
)

// ScreenshotDir makes the directory a test's screenshots go to and keeps
// it after the test, so a reviewer can look at them: a new directory
// under $COOLROOM_SCREENSHOTS when that is set, else under the system's
// temporary directory, named coolroom-<name>-<random>.
func ScreenshotDir(tb testing.TB, name string) string {
	tb.Helper()
	parent, _ := config.Get(os.LookupEnv, "COOLROOM_SCREENSHOTS")
	if parent == "" {
		parent = os.TempDir()
	} else if err := os.MkdirAll(parent, 0o755); err != nil {
		tb.Fatalf("screenshots: %v", err)
	}
	dir, err := os.MkdirTemp(parent, "coolroom-"+name+"-")
	if err != nil {
		tb.Fatalf("screenshots: %v", err)
	}
	return dir
}

// Shot saves what the tab shows as dir/name.png, with the element
// matching scrollTo (if not "") scrolled to the top of the window, logs
// the file's path and returns it. It captures the window, not the whole
// page: what a user looking at that part sees, and quick even for the
// console's long pages.
func Shot(tb testing.TB, c context.Context, dir, name, scrollTo string) string {
	tb.Helper()
	if scrollTo != "" {
		if _, err := chromedp.Run(c, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q)?.scrollIntoView()`, scrollTo))); err != nil {
			tb.Fatalf("screenshot %s: scroll to %s: %v", name, scrollTo, err)
		}
	}
	// A page that has just navigated may not be laid out yet (0 width):
	// try again shortly.
	var img []byte
	var err error
	for range 20 {
		if img, err = chromedp.Run(c, chromedp.CaptureScreenshot()); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, img, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("screenshot: %s", p)
	return p
}

// Click clicks the first element matching a CSS selector from inside the
// page. Pages that swap their content in on every update (the emulator's
// console) may replace a node chromedp found a moment ago; this finds it
// at the moment of the click.
func Click(selector string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).click()`, selector))
}

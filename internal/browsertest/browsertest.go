// Package browsertest starts Chromium (Debian's, or Google Chrome or
// Chromium on a Mac) for the browser tests (the app's journey, the XSS
// corpus, the emulator's console) with the flags this kind of machine needs,
// and waits on page conditions. Only tests import it.
package browsertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Start starts a headless Chromium with a fresh profile and returns the
// context of its first tab; the browser stops when the test ends. The
// background-networking flags matter here: without them Chromium keeps
// trying hosts this closed network refuses.
func Start(tb testing.TB, chrome string, width, height int) context.Context {
	tb.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(width, height),
	)
	browser, cancel := chromedp.NewContext(allocCtx)
	tb.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	OpenTab(tb, browser)
	return browser
}

// OpenTab runs nothing on a new chromedp context, which starts the browser
// or opens the tab. It must not carry a timeout: the tab lives as long as
// the context of this first run.
func OpenTab(tb testing.TB, c context.Context) {
	tb.Helper()
	if err := chromedp.Do(c); err != nil {
		tb.Fatalf("open a Chromium tab: %v", err)
	}
}

// WaitFor re-evaluates a JavaScript condition until it holds. Unlike
// chromedp's Poll it survives the page navigating in between (a form post).
func WaitFor(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(c context.Context, tg *chromedp.Target) error {
		deadline := time.Now().Add(timeout)
		for {
			ok, err := chromedp.Evaluate[bool](expr)(c, tg)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("timed out waiting for %s (last error: %v)", expr, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// Steps runs actions one after another on a tab, each with 30 s to finish,
// and fails the test naming the step and the action that did not.
func Steps(tb testing.TB, c context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	for i, a := range actions {
		sc, cancel := context.WithTimeout(c, 30*time.Second)
		err := chromedp.Do(sc, a)
		cancel()
		if err != nil {
			tb.Fatalf("%s, action %d: %v", step, i+1, err)
		}
	}
}

// Package browsertest runs the browser tests (the app's journey, the XSS
// corpus, the emulator's console) in Chromium (Debian's, or Google Chrome
// or Chromium on a Mac) with the flags this kind of machine needs, and
// waits on page conditions. Only tests import it.
//
// A test binary starts one browser, on first use, and each test gets a
// fresh browser context of it (its own cookies, storage and cache): a
// browser start costs about a second of CPU, a browser context almost
// nothing, so the tests of a package share the one browser and can run in
// parallel. A package's TestMain calls Stop when its tests are done.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shared is the test binary's browser.
var shared struct {
	mu      sync.Mutex
	started bool
	browser context.Context // its first tab, which lives as long as the browser
	stop    func()
	err     error
}

// Tab returns the first tab of a fresh browser context in the test
// binary's browser (started on first use) with a width×height viewport.
// It skips the test with SkipReason when no browser is installed. The
// browser context and its tabs are closed when the test ends.
func Tab(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	browser := browserFor(tb)
	c, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	tb.Cleanup(cancel)
	viewport(tb, c, width, height)
	return c
}

// NewTab opens another tab in c's browser context (same cookies) with a
// width×height viewport; it closes when the test ends.
func NewTab(tb testing.TB, c context.Context, width, height int) context.Context {
	tb.Helper()
	t, cancel := chromedp.NewContext(c)
	tb.Cleanup(cancel)
	viewport(tb, t, width, height)
	return t
}

// viewport opens the tab (the first run on a new chromedp context) and
// sizes its page. The run must not carry a timeout: the tab lives as long
// as the context of this first run.
func viewport(tb testing.TB, c context.Context, width, height int) {
	tb.Helper()
	if err := chromedp.Do(c, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		tb.Fatalf("open a Chromium tab: %v", err)
	}
}

// browserFor returns the shared browser's first tab, starting the browser
// on first use; it skips tb when there is no browser.
func browserFor(tb testing.TB) context.Context {
	tb.Helper()
	chrome := Path()
	if chrome == "" {
		tb.Skip(SkipReason)
	}
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.started {
		shared.started = true
		shared.browser, shared.stop, shared.err = start(chrome)
	}
	if shared.err != nil {
		tb.Fatalf("start Chromium (%s): %v", chrome, shared.err)
	}
	return shared.browser
}

// start starts a headless Chromium with a fresh profile. The
// background-networking flags matter here: without them Chromium keeps
// trying hosts this closed network refuses.
func start(chrome string) (browser context.Context, stop func(), err error) {
	dir, err := os.MkdirTemp("", "coolroom-chromium-")
	if err != nil {
		return nil, nil, err
	}
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
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1360, 900),
	)
	browser, cancel := chromedp.NewContext(allocCtx)
	stop = func() {
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(dir)
	}
	if err := chromedp.Do(browser); err != nil {
		stop()
		return nil, nil, err
	}
	return browser, stop, nil
}

// Stop ends the shared browser, if a test started it, and removes its
// profile. A package's TestMain calls it after m.Run.
func Stop() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.stop != nil {
		shared.stop()
	}
	shared.browser, shared.stop, shared.started, shared.err = nil, nil, false, nil
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

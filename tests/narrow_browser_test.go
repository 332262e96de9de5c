package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestNarrowWindowsFit: on a phone and between a phone and a tablet the
// logged-in home, room and profile pages fit the window: no sideways
// scroll, a search box one can type in, and no name cut off.
func TestNarrowWindowsFit(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	// A long user name (28 of the 30 characters allowed, no spaces) widened
	// the one-column phone layout by 20 px while the grid's column kept its
	// content's min width (bare 1fr).
	v := registered(t, st.AppURL, "narrowwindowuser")
	// Long unbroken words (a pasted link, a name without spaces) are what
	// widen a page past a phone's window; the suite's other tests leave such
	// rooms on the shared stack too, so this room carries its own.
	word := strings.Repeat("W", 120)
	room := v.createRoom("Narrow "+uniqueName("n")+" "+word, "Layouts"+word, "A room seen through a narrow window: "+word)
	v.postMessage(room, "hello from a narrow window "+word)

	browser := browsertest.Tab(t, 1200, 900)
	ctx, cancel := context.WithTimeout(browser, 3*time.Minute)
	defer cancel()
	browsertest.Steps(t, ctx, "log in",
		chromedp.Navigate(st.AppURL+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), v.Email),
		chromedp.SendKeys(chromedp.CSS("#password"), v.Password),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".account .me")),
	)
	// measure reports what a user would notice: the page's scroll width,
	// the search box's width and every visible name or button whose text
	// is clipped (wider than its box).
	const measure = `(() => {
		const clipped = [...document.querySelectorAll(".handle, .me-name, .feed-head .button, .account .button, .room-name, .brand")]
			.filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
			.map(e => e.className + ": " + e.textContent.trim());
		const q = document.getElementById("q").getBoundingClientRect();
		return JSON.stringify({scroll: document.documentElement.scrollWidth, inner: innerWidth, search: Math.round(q.width), clipped});
	})()`
	type result struct {
		Scroll, Inner, Search int
		Clipped               []string
	}
	for _, width := range []int{390, 520, 580, 640, 700} {
		for _, path := range []string{"/", fmt.Sprintf("/room/%d", room), fmt.Sprintf("/profile/%d", v.ID)} {
			browsertest.Steps(t, ctx, fmt.Sprintf("%s at %d px", path, width),
				chromedp.EmulateViewport(int64(width), 800),
				chromedp.Navigate(st.AppURL+path),
				chromedp.WaitVisible(chromedp.CSS("#q")),
			)
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](measure))
			if err != nil {
				t.Fatalf("measure %s at %d px: %v", path, width, err)
			}
			var r result
			if err := json.Unmarshal([]byte(raw), &r); err != nil {
				t.Fatalf("%s at %d px: %v (%s)", path, width, err, raw)
			}
			if r.Scroll > r.Inner {
				t.Errorf("%s at %d px scrolls sideways: content %d px wide in a %d px window", path, width, r.Scroll, r.Inner)
			}
			if r.Search < 120 {
				t.Errorf("%s at %d px: the search box is %d px wide, want at least 120", path, width, r.Search)
			}
			if len(r.Clipped) > 0 {
				t.Errorf("%s at %d px cuts off %q", path, width, r.Clipped)
			}
		}
	}
}

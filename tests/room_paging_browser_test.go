package tests

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestBrowserLiveFeedCatchesUpInPages: with a room's messages paged, an
// open room page that falls more than a page behind still receives every
// message in order, without a reload, and "Load earlier messages" then
// pages back from the newest 50.
func TestBrowserLiveFeedCatchesUpInPages(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	hal := registered(t, st.AppURL, "hal")
	room := hal.createRoom("Live paging "+uniqueName("r"), "Paging", "")
	browser := browsertest.Tab(t, 1200, 900)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		for _, a := range actions {
			if err := chromedp.Do(ctx, a); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
	}
	run("open the empty room", chromedp.Navigate(fmt.Sprintf("%s/room/%d", st.AppURL, room)),
		browsertest.WaitFor(`document.getElementById("no-messages") !== null`, 15*time.Second))

	api := dataAPIAs(t, st, hal)
	const n = 60
	for i := range n {
		if _, err := api.PostMessage(context.Background(), room, fmt.Sprintf("live %02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	run("all 60 arrive in order", browsertest.WaitFor(fmt.Sprintf(`(() => {
		const b = [...document.querySelectorAll("#messages .message-body")].map(p => p.textContent);
		return b.length === %d && b[0] === "live 00" && b[%d] === "live %02d";
	})()`, n, n-1, n-1), 20*time.Second))

	run("reload shows the newest 50, then earlier ones",
		chromedp.Navigate(fmt.Sprintf("%s/room/%d", st.AppURL, room)),
		browsertest.WaitFor(`document.querySelectorAll("#messages .message").length === 50`, 15*time.Second),
		chromedp.Click(chromedp.CSS("#load-earlier")),
		browsertest.WaitFor(`document.querySelectorAll("#messages .message").length === 10 && document.getElementById("latest-messages") !== null`, 15*time.Second))
}

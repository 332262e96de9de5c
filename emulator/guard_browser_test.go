package emulator_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/browsertest"
)

// TestDriveByAttackInBrowser is issue 12's proof of concept in a real
// Chromium: a page on another site (localhost is another site than
// 127.0.0.1) POSTs a CreateFunction and an Invoke to the emulator with
// fetch(…, {mode: 'no-cors'}) — which needs no CORS preflight — and then a
// reset. The emulator sees the requests and refuses them all: no function
// exists afterwards and the bucket is still there.
func TestDriveByAttackInBrowser(t *testing.T) {
	t.Parallel()
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	var crossSite atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
			crossSite.Add(1)
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Shutdown(context.Background())
	})
	cfg := testConfig()
	cfg.Region = "us-east-1"
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(srv.URL); o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("coolroom-static")}); err != nil {
		t.Fatal(err)
	}

	body, _ := json.Marshal(createFunctionBody(t, "evil"))
	emuURL, _ := json.Marshal(srv.URL)
	page := `<!doctype html><title>cute cats</title><script>
window.__done = false;
(async () => {
  const emu = ` + string(emuURL) + `;
  await fetch(emu + "/2015-03-31/functions", {method: "POST", mode: "no-cors", body: ` + string(body) + `});
  await fetch(emu + "/2015-03-31/functions/evil/invocations", {method: "POST", mode: "no-cors", body: "{}"});
  await fetch(emu + "/_coolroom/reset", {method: "POST", mode: "no-cors"});
})().catch(e => { window.__err = String(e); }).finally(() => { window.__done = true; });
</script>`
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(attacker.Close)
	attackerURL := strings.Replace(attacker.URL, "127.0.0.1", "localhost", 1)

	browser := browsertest.Tab(t, 800, 600)
	ctx, cancel := context.WithTimeout(browser, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(attackerURL+"/cats")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, browsertest.WaitFor(`window.__done === true`, 30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__err || ""`)); msg != "" {
		t.Fatalf("the page's requests failed to send: %s", msg)
	}
	if n := crossSite.Load(); n < 3 {
		t.Fatalf("the emulator saw %d cross-site requests from the page, want 3 (the attack did not run)", n)
	}
	if names := functionNames(t, srv, cfg); len(names) != 0 {
		t.Fatalf("a web page created functions on this machine: %v", names)
	}
	if _, err := s3c.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String("coolroom-static")}); err != nil {
		t.Fatalf("a web page reset the emulator: %v", err)
	}
}

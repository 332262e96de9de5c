package s3_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/chromedp/chromedp"

	"github.com/coolroom/testbed/internal/browsertest"
)

// TestBucketCORSInBrowser lets a real Chromium judge the emulator's CORS:
// a page on another origin (localhost is another site than 127.0.0.1)
// PUTs an object with a Content-Type header (a preflighted request), reads
// the exposed ETag, GETs it back, uploads a form with POST, and is refused
// a DELETE that no rule allows.
func TestBucketCORSInBrowser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "browser")

	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte(`<!doctype html><title>uploader</title>`))
	}))
	t.Cleanup(page.Close)
	origin := strings.Replace(page.URL, "127.0.0.1", "localhost", 1)
	if _, err := e.client.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("browser"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedOrigins: []string{origin}, AllowedMethods: []string{"PUT", "GET", "POST"},
			AllowedHeaders: []string{"content-type"}, ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(5)}}}}); err != nil {
		t.Fatal(err)
	}

	s3URL, _ := json.Marshal(e.srv.URL + "/browser")
	script := `window.__done = false; window.__result = {};
(async () => {
  const base = ` + string(s3URL) + `, r = window.__result;
  try {
    const put = await fetch(base + '/from-browser.txt', {method: 'PUT', headers: {'Content-Type': 'text/plain'}, body: 'written by a page'});
    r.putStatus = put.status; r.etag = put.headers.get('ETag');
    const get = await fetch(base + '/from-browser.txt');
    r.getBody = await get.text();
    const form = new FormData();
    form.append('key', 'form/${filename}'); form.append('success_action_status', '201');
    form.append('file', new Blob(['posted by a form']), 'note.txt');
    const post = await fetch(base, {method: 'POST', body: form});
    r.postStatus = post.status; r.postBody = await post.text();
  } catch (err) { r.error = String(err); }
  try { await fetch(base + '/from-browser.txt', {method: 'DELETE'}); r.deleteAllowed = true; }
  catch (err) { r.deleteRefused = String(err); }
  window.__done = true;
})();`
	browser := browsertest.Tab(t, 800, 600)
	run, cancel := context.WithTimeout(browser, 60*time.Second)
	defer cancel()
	var result struct {
		PutStatus, PostStatus          int
		ETag, GetBody, PostBody, Error string
		DeleteAllowed                  bool
		DeleteRefused                  string
	}
	if _, err := chromedp.Run(run, chromedp.Navigate(origin)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(run, chromedp.Evaluate[bool](script+"\ntrue;")); err != nil {
		t.Fatalf("running the page's script: %v", err)
	}
	if err := chromedp.Do(run, browsertest.WaitFor(`window.__done === true`, 30*time.Second)); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(run, chromedp.Evaluate[string](`JSON.stringify(window.__result)`))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &result); err != nil {
		t.Fatalf("page result %q: %v", raw, err)
	}
	if result.Error != "" || result.PutStatus != 200 || result.ETag != md5ETag([]byte("written by a page")) || result.GetBody != "written by a page" {
		t.Fatalf("cross-origin PUT/GET from the page: %+v", result)
	}
	if result.PostStatus != 201 || !strings.Contains(result.PostBody, "<Key>form/note.txt</Key>") {
		t.Errorf("cross-origin form POST: %d %s", result.PostStatus, result.PostBody)
	}
	if string(mustGetBody(t, e, "browser", "form/note.txt")) != "posted by a form" {
		t.Error("the form upload did not store its file")
	}
	if result.DeleteAllowed || result.DeleteRefused == "" {
		t.Errorf("DELETE, which no rule allows, was not refused by the browser: %+v", result)
	}
	if _, err := e.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("browser"), Key: aws.String("from-browser.txt")}); err != nil {
		t.Errorf("the refused DELETE removed the object: %v", err)
	}
}

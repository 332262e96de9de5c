package tests

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// visitor is one browser: its own cookie jar, no automatic redirects (so
// tests see each 303), talking to the app over HTTP.
type visitor struct {
	t    testing.TB
	base string
	c    *http.Client
	// Set once registered.
	ID                              int64
	Name, Username, Email, Password string
}

func newVisitor(t testing.TB, base string) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, base: base, c: &http.Client{
		Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

var userSeq atomic.Int64

// uniqueName returns a username no other test uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s%d_%d", prefix, time.Now().UnixNano()%1e9, userSeq.Add(1))
}

// registered signs a new user up through the form; it is then logged in.
func registered(t testing.TB, base, prefix string) *visitor {
	t.Helper()
	v := newVisitor(t, base)
	v.register(prefix)
	return v
}

// register signs v up as a new user through the form; it is then logged in.
func (v *visitor) register(prefix string) {
	t := v.t
	t.Helper()
	v.Username = uniqueName(prefix)
	v.Name = "Test " + strings.ToUpper(prefix[:1]) + prefix[1:]
	v.Email = v.Username + "@example.test"
	v.Password = "Quiet-lantern-42-river"
	resp := v.post("/register", url.Values{
		"name": {v.Name}, "username": {v.Username}, "email": {v.Email},
		"password": {v.Password}, "password2": {v.Password},
	})
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register %s = %d: %s", v.Username, resp.StatusCode, textOf(body))
	}
	doc := v.page("/", http.StatusOK)
	href, ok := doc.Find(".account .me").Attr("href")
	if !ok {
		t.Fatalf("after registering, the header shows no profile link")
	}
	v.ID, _ = strconv.ParseInt(strings.TrimPrefix(href, "/profile/"), 10, 64)
}

// in is the same visitor (cookies, client) reporting to t, for subtests.
func (v *visitor) in(t testing.TB) *visitor {
	c := *v
	c.t = t
	return &c
}

func (v *visitor) do(req *http.Request) *http.Response {
	v.t.Helper()
	resp, err := v.c.Do(req)
	if err != nil {
		v.t.Fatal(err)
	}
	return resp
}

func (v *visitor) get(path string) *http.Response {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, v.base+path, nil)
	return v.do(req)
}

func (v *visitor) post(path string, form url.Values) *http.Response {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, v.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(req)
}

// postFile sends a multipart form with one file field.
func (v *visitor) postFile(path string, form url.Values, field, filename string, data []byte) *http.Response {
	v.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, vals := range form {
			for _, val := range vals {
				_ = mw.WriteField(k, val)
			}
		}
		if field != "" {
			fw, _ := mw.CreateFormFile(field, filename)
			_, _ = fw.Write(data)
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest(http.MethodPost, v.base+path, pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return v.do(req)
}

// page GETs path, insists on the status, and parses the HTML.
func (v *visitor) page(path string, want int) *goquery.Document {
	v.t.Helper()
	resp := v.get(path)
	body := readAll(v.t, resp)
	if resp.StatusCode != want {
		v.t.Fatalf("GET %s = %d, want %d: %s", path, resp.StatusCode, want, textOf(body))
	}
	return parse(v.t, body)
}

// createRoom creates a room through the form and returns its id.
func (v *visitor) createRoom(name, topic, description string) int64 {
	v.t.Helper()
	resp := v.post("/create-room", url.Values{"name": {name}, "topic": {topic}, "description": {description}})
	body := readAll(v.t, resp)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/room/") {
		v.t.Fatalf("create room = %d Location %q: %s", resp.StatusCode, loc, textOf(body))
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/room/"), 10, 64)
	if err != nil {
		v.t.Fatalf("Location %q", loc)
	}
	return id
}

// postMessage posts to a room and returns the new message's id.
func (v *visitor) postMessage(room int64, body string) int64 {
	v.t.Helper()
	resp := v.post(fmt.Sprintf("/room/%d", room), url.Values{"body": {body}})
	text := readAll(v.t, resp)
	loc := resp.Header.Get("Location")
	prefix := fmt.Sprintf("/room/%d#message-", room)
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		v.t.Fatalf("post message = %d Location %q: %s", resp.StatusCode, loc, textOf(text))
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	return id
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func parse(t testing.TB, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// textOf is a page's visible text, squeezed, for failure messages.
func textOf(body string) string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return body
	}
	doc.Find("script, style, svg, head").Remove()
	s := strings.Join(strings.Fields(doc.Text()), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

// squeeze collapses white space, as a reader sees text.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// Package tests is the end-to-end suite: it starts the whole stack (emulator,
// PostgreSQL, the deployed Lambda and HTTP API, the web app) on free ports
// and drives it over HTTP as a user and an operator would.
package tests

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/stack"
)

const (
	bucket   = "coolroom-e2e-static"
	function = "coolroom-e2e-data"
	apiName  = "coolroom-e2e-api"
)

// noRedirect lets the test see the app's 303 after a form post.
var noRedirect = &http.Client{
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func startStack(t *testing.T) *stack.Stack {
	t.Helper()
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	e2e, _ := suiteConfig() // applyTarget below reports a bad configuration
	opts := stack.Options{
		Logger:       testLogger(t),
		EmulatorAddr: "127.0.0.1:0",
		AppAddr:      "127.0.0.1:0",
		DatabaseURL:  e2e.DatabaseURL,
		SourceDir:    root,
		Region:       "us-east-1",
		Bucket:       bucket,
		FunctionName: function,
		APIName:      apiName,
	}
	if skip, err := applyTarget(&opts); err != nil {
		t.Fatal(err)
	} else if skip != "" {
		t.Skip(skip)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := stack.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	return st
}

func TestWalkingSkeleton(t *testing.T) {
	t.Parallel()
	st := startStack(t)
	closed := false
	t.Cleanup(func() {
		if !closed {
			_ = st.Close(context.Background())
		}
	})
	roomName := fmt.Sprintf("E2E room %d", time.Now().UnixNano())

	t.Run("home page lists rooms through API Gateway", func(t *testing.T) {
		doc, status := getPage(t, st.AppURL+"/")
		if status != http.StatusOK {
			t.Fatalf("GET / = %d", status)
		}
		if got := strings.TrimSpace(doc.Find("#room-count").Text()); !strings.HasSuffix(got, "available") {
			t.Errorf("room count line = %q", got)
		}
	})

	var host *visitor
	t.Run("create room through the form as a logged-in user", func(t *testing.T) {
		host = registered(t, st.AppURL, "skel")
		before := roomCount(t, st.AppURL+"/")
		id := host.createRoom(roomName, "End-to-end", "Made by <b>the</b> e2e test")
		doc := host.page(fmt.Sprintf("/room/%d", id), http.StatusOK)
		if got := doc.Find("#room-title").Text(); got != roomName {
			t.Errorf("room page title = %q", got)
		}
		doc, _ = getPage(t, st.AppURL+"/")
		var names []string
		doc.Find(".room-card .room-name").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
		if len(names) == 0 || names[0] != roomName {
			t.Fatalf("newest room on home page = %q, want %q first", names, roomName)
		}
		card := doc.Find(".room-card").First()
		if got := card.Find(".topic-tag").Text(); got != "End-to-end" {
			t.Errorf("topic tag = %q", got)
		}
		if got := card.Find(".room-desc").Text(); got != "Made by <b>the</b> e2e test" {
			t.Errorf("description rendered as %q (must be escaped text)", got)
		}
		if got := card.Find(".handle").Text(); got != "@"+host.Username {
			t.Errorf("host shown as %q, want @%s", got, host.Username)
		}
		if after := roomCount(t, st.AppURL+"/"); after != before+1 {
			t.Errorf("room count %d → %d, want +1", before, after)
		}
		// Search goes through the same hop with ?q=.
		doc, _ = getPage(t, st.AppURL+"/?q="+url.QueryEscape("end-TO-end"))
		if n := doc.Find(".room-card").Length(); n != 1 {
			t.Errorf("search by topic found %d rooms, want 1", n)
		}
		doc, _ = getPage(t, st.AppURL+"/?q=no-such-room-anywhere")
		if n := doc.Find(".room-card").Length(); n != 0 {
			t.Errorf("search for nonsense found %d rooms", n)
		}
	})

	t.Run("the row is in PostgreSQL", func(t *testing.T) {
		hostName := host
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, st.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var topic, host string
		err = conn.QueryRow(ctx, `SELECT t.name, u.username FROM rooms r
			JOIN topics t ON t.id = r.topic_id JOIN users u ON u.id = r.host_id WHERE r.name = $1`, roomName).Scan(&topic, &host)
		if err != nil {
			t.Fatalf("room %q not in Postgres: %v", roomName, err)
		}
		if topic != "End-to-end" || hostName == nil || host != hostName.Username {
			t.Errorf("row has topic %q host %q", topic, host)
		}
	})

	t.Run("invalid form changes nothing and keeps the input", func(t *testing.T) {
		if host == nil {
			t.Skip("no logged-in user")
		}
		before := roomCount(t, st.AppURL+"/")
		resp := host.post("/create-room", url.Values{"name": {""}, "topic": {"Kept topic"}, "description": {"kept text"}})
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty name: status %d, want 422", resp.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if doc.Find(".field-error").Length() == 0 {
			t.Error("no field error shown")
		}
		if v, _ := doc.Find("#topic").Attr("value"); v != "Kept topic" {
			t.Errorf("topic input lost the user's text: %q", v)
		}
		if after := roomCount(t, st.AppURL+"/"); after != before {
			t.Errorf("room count changed %d → %d on invalid input", before, after)
		}
	})

	t.Run("cross-origin form post is refused", func(t *testing.T) {
		resp := postForm(t, st.AppURL+"/create-room", url.Values{"name": {"csrf"}, "topic": {"csrf"}},
			map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
		readBody(t, resp)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST = %d, want 403", resp.StatusCode)
		}
	})

	var bootstrapPID int
	t.Run("the Lambda ran as a separate bootstrap process", func(t *testing.T) {
		skipUnlessEmulator(t, st)
		infos := st.Emulator.Lambda.Instances(function)
		if len(infos) == 0 {
			t.Fatal("no warm Lambda instance after serving requests")
		}
		in := infos[0]
		if in.PID == 0 || in.PID == os.Getpid() {
			t.Fatalf("instance PID %d is not a separate process", in.PID)
		}
		exe, ppid := processInfo(t, in.PID)
		if filepath.Base(exe) != "bootstrap" {
			t.Errorf("instance executable = %s, want .../bootstrap", exe)
		}
		if ppid != os.Getpid() {
			t.Errorf("bootstrap parent = %d, want the emulator (this test process %d)", ppid, os.Getpid())
		}
		if in.Invocations < 2 {
			t.Errorf("instance served %d invocations: warm instances are not being reused", in.Invocations)
		}
		bootstrapPID = in.PID
	})

	t.Run("a crashed instance is replaced", func(t *testing.T) {
		skipUnlessEmulator(t, st)
		if bootstrapPID == 0 {
			t.Skip("no instance PID")
		}
		if err := syscall.Kill(bootstrapPID, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		waitGone(t, bootstrapPID)
		if _, status := getPage(t, st.AppURL+"/"); status != http.StatusOK {
			t.Fatalf("GET / after killing the Lambda process = %d", status)
		}
		infos := st.Emulator.Lambda.Instances(function)
		if len(infos) == 0 || infos[0].PID == bootstrapPID {
			t.Errorf("instances after crash = %+v, want a new process", infos)
		}
	})

	t.Run("the CSS comes out of S3 under a content-hashed name", func(t *testing.T) {
		doc, _ := getPage(t, st.AppURL+"/")
		href, ok := doc.Find(`link[rel="stylesheet"]`).Attr("href")
		if !ok {
			t.Fatal("no stylesheet link")
		}
		name := strings.TrimPrefix(href, "/static/")
		if want := app.HashedName("style.css", []byte(mustStatic(t, name))); name != want {
			t.Fatalf("stylesheet name %q, want the content-hashed %q", name, want)
		}
		css := mustGet(t, st.AppURL+href)
		want := mustStatic(t, name)
		if css.body != want || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
			t.Fatalf("stylesheet: type %q, %d bytes; want the published style.css", css.header.Get("Content-Type"), len(css.body))
		}
		if cc := css.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") || !strings.Contains(cc, "immutable") {
			t.Errorf("hashed stylesheet Cache-Control = %q, want a year, immutable", cc)
		}
		if etag := css.header.Get("ETag"); etag == "" {
			t.Error("no ETag")
		} else {
			req, _ := http.NewRequest(http.MethodGet, st.AppURL+href, nil)
			req.Header.Set("If-None-Match", etag)
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("conditional GET with the ETag = %d, want 304", resp.StatusCode)
			}
		}
		// Change the object in S3 with the SDK: the app must serve the change.
		s3c := s3.NewFromConfig(st.AWS, func(o *s3.Options) {
			o.BaseEndpoint = endpoint(st)
			o.UsePathStyle = true
		})
		key := deploy.StaticKey(name)
		marker := want + "\n/* changed in S3 by the e2e test */\n"
		put := func(body string) {
			if _, err := s3c.PutObject(context.Background(), &s3.PutObjectInput{
				Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body), ContentType: aws.String("text/css; charset=utf-8"),
			}); err != nil {
				t.Fatal(err)
			}
		}
		put(marker)
		defer put(want)
		if got := mustGet(t, st.AppURL+href).body; got != marker {
			t.Errorf("after changing the S3 object the app served %d bytes, not the new object", len(got))
		}
	})

	t.Run("deploying again changes nothing", func(t *testing.T) {
		res, err := deploy.New(st.DeployConfig).Deploy(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Changed) != 0 || res.InvokeURL != st.Deploy.InvokeURL {
			t.Errorf("second deploy changed %v (invoke URL %s, first %s)", res.Changed, res.InvokeURL, st.Deploy.InvokeURL)
		}
	})

	t.Run("shutdown leaves no process or directory behind", func(t *testing.T) {
		var pids []int
		skipUnlessEmulator(t, st)
		for _, in := range st.Emulator.Lambda.Instances(function) {
			pids = append(pids, in.PID)
		}
		pgDir := ""
		if st.Postgres != nil {
			pids = append(pids, st.Postgres.PID())
			pgDir = st.Postgres.Dir()
		}
		closed = true
		if err := st.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, pid := range pids {
			waitGone(t, pid)
		}
		if pgDir != "" {
			if _, err := os.Stat(pgDir); !os.IsNotExist(err) {
				t.Errorf("PostgreSQL dir %s still exists", pgDir)
			}
		}
	})
}

// mustStatic reads a published static file by its hashed name.
func mustStatic(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(app.StaticFiles(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type fetched struct {
	body   string
	header http.Header
}

func mustGet(t *testing.T, u string) fetched {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", u, resp.StatusCode, body)
	}
	return fetched{body: body, header: resp.Header}
}

func getPage(t *testing.T, u string) (*goquery.Document, int) {
	t.Helper()
	resp, err := noRedirect.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc, resp.StatusCode
}

func roomCount(t *testing.T, u string) int {
	t.Helper()
	doc, status := getPage(t, u)
	if status != http.StatusOK {
		t.Fatalf("GET %s = %d", u, status)
	}
	fields := strings.Fields(doc.Find("#room-count").Text())
	if len(fields) == 0 {
		t.Fatal("no room count on the home page")
	}
	n, err := strconv.Atoi(fields[0])
	if err != nil {
		t.Fatalf("room count %q: %v", fields[0], err)
	}
	return n
}

func postForm(t *testing.T, u string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// waitGone waits for a process to disappear (zombies count as gone once reaped).
func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("process %d still running", pid)
}

// skipUnlessEmulator skips checks that look inside the in-process emulator
// (its Lambda processes); the localstack and aws targets run the same
// user-facing checks without them.
func skipUnlessEmulator(t *testing.T, st *stack.Stack) {
	t.Helper()
	if st.Emulator == nil {
		t.Skipf("target %s: the Lambda runs outside this process", st.Target)
	}
}

// Package load drives simulated users through the web app over real HTTP
// (register, log in, open the home page, create and open a room, post
// messages), measures each action, and afterwards checks that every post
// the app acknowledged is there. `coolroom load` runs it.
package load

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a run.
type Options struct {
	// BaseURL is the app, e.g. http://127.0.0.1:8000.
	BaseURL string
	// Users run at once (default 50); each posts Posts messages (default
	// 20), or, when Duration is set, keeps posting until the posting phase
	// has lasted that long.
	Users, Posts int
	Duration     time.Duration
	// Think is a user's pause between two posts (jittered ±50 %); zero
	// posts as fast as the app answers, which measures queueing under
	// saturation rather than the time one post takes.
	Think time.Duration
	// Poll is how often a user's open room asks for new messages, as the
	// room page does (default 2 s; negative: never).
	Poll time.Duration
	// Progress, if set, receives a progress line that rewrites itself.
	Progress io.Writer
	// EmulatorURL, if set, is the emulator whose console reports how far
	// the functions scaled; the memory of the process tree they run under
	// is measured too. SameProcess says that tree is this process (the
	// command started a stack of its own).
	EmulatorURL string
	SameProcess bool
}

// Report is the outcome of a run.
type Report struct {
	// PostsPerUser is the fixed count each user posted; 0 for a run of a
	// fixed Duration.
	Users, PostsPerUser int
	Duration            time.Duration
	Elapsed             time.Duration
	Actions             []ActionStats
	// Hops splits the users' requests by hop.
	Hops []HopStats
	// Posting is the posting phase and its CPU cost.
	Posting *Posting
	// Stack is the emulator's view and the memory; nil without EmulatorURL.
	Stack *StackInfo
	// Errors counts failed actions of every kind.
	Errors int
	// Acknowledged posts were answered with a redirect to the new message;
	// Missing of them were not in their room afterwards.
	Acknowledged, Missing int
	FirstErrors           []string
}

// OK reports whether the run had no error and lost no post.
func (r *Report) OK() bool {
	if r.Duration > 0 {
		return r.Errors == 0 && r.Missing == 0 && r.Acknowledged > 0
	}
	return r.Errors == 0 && r.Missing == 0 && r.Acknowledged == r.Users*r.PostsPerUser
}

// Run drives the users until they are done or ctx ends.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Users <= 0 {
		opts.Users = 50
	}
	if opts.Duration > 0 {
		opts.Posts = 0 // until the time is up
	} else if opts.Posts <= 0 {
		opts.Posts = 20
	}
	if opts.Poll == 0 {
		opts.Poll = 2 * time.Second
	}
	base := strings.TrimSuffix(opts.BaseURL, "/")
	if _, err := url.ParseRequestURI(base); err != nil || base == "" {
		return nil, fmt.Errorf("load: app URL %q: want http://host:port", opts.BaseURL)
	}
	rec := newRecorder()
	run := strconv.FormatInt(time.Now().UnixNano()%1e10, 36)
	acked := make([][]int64, opts.Users) // per user, the ids of acknowledged posts
	rooms := make([]int64, opts.Users)
	start := time.Now()
	stop := startProgress(opts.Progress, rec, opts.Users*opts.Posts, opts.Duration)
	// Every user first gets into their room; then they all post at once,
	// so the posting phase's figures and CPU are not mixed with the
	// password hashing of the others' log-ins.
	root := stackRoot(ctx, opts.EmulatorURL, opts.SameProcess)
	var ready, wg sync.WaitGroup
	posting := make(chan struct{})
	var until time.Time // set before posting opens
	for i := range opts.Users {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			u := &user{base: base, rec: rec, name: fmt.Sprintf("load%s_%d", run, i)}
			rooms[i] = u.enter(ctx)
			ready.Done()
			<-posting
			if rooms[i] != 0 {
				acked[i] = u.post(ctx, rooms[i], opts.Posts, until, opts.Think, opts.Poll)
			}
		}()
	}
	ready.Wait()
	phase := &Posting{Users: opts.Users, Cores: runtime.NumCPU(), SameProcess: opts.SameProcess}
	before, _ := rec.counts()
	cpu0, phaseStart := treeCPU(root), time.Now()
	if opts.Duration > 0 {
		until = phaseStart.Add(opts.Duration)
	}
	close(posting)
	wg.Wait()
	phase.Elapsed, phase.CPU = time.Since(phaseStart), treeCPU(root)-cpu0
	after, _ := rec.counts()
	phase.Requests = after - before
	elapsed := time.Since(start)
	rep := &Report{Users: opts.Users, PostsPerUser: opts.Posts, Duration: opts.Duration, Elapsed: elapsed, Posting: phase}
	if opts.EmulatorURL != "" {
		// Before the check, whose reads would fill the recent traces.
		rep.Stack = inspectStack(ctx, strings.TrimSuffix(opts.EmulatorURL, "/"), opts.SameProcess)
	}
	// Verify after the load: every acknowledged post must be in its room.
	for i, ids := range acked {
		rep.Acknowledged += len(ids)
		if len(ids) > 0 {
			rep.Missing += verify(ctx, base, rec, rooms[i], ids)
		}
	}
	stop()
	rep.Actions = rec.stats()
	rep.Hops = rec.hopStats()
	_, rep.Errors = rec.counts()
	rep.FirstErrors = rec.firstErrors
	return rep, ctx.Err()
}

// user is one simulated person with a browser's cookie jar.
type user struct {
	base, name string
	rec        *recorder
	client     *http.Client
}

// enter registers, logs in from a fresh browser, opens the home page,
// creates a room and opens it; it returns the room, or 0 if a step failed.
func (u *user) enter(ctx context.Context) (room int64) {
	password := "Quiet-lantern-42-river"
	email := u.name + "@load.example"
	u.newBrowser()
	if _, err := u.form(ctx, ActRegister, "/register", url.Values{"name": {"Load " + u.name}, "username": {u.name},
		"email": {email}, "password": {password}, "password2": {password}}, "/"); err != nil {
		return 0
	}
	u.newBrowser() // a fresh browser logs in
	if _, err := u.form(ctx, ActLogin, "/login", url.Values{"email": {email}, "password": {password}}, "/"); err != nil {
		return 0
	}
	if err := u.page(ctx, ActHome, "/"); err != nil {
		return 0
	}
	loc, err := u.form(ctx, ActCreate, "/create-room", url.Values{"name": {"Room of " + u.name}, "topic": {"Load testing"},
		"description": {"Created by coolroom load"}}, "/room/")
	if err != nil {
		return 0
	}
	room, err = strconv.ParseInt(strings.TrimPrefix(loc, "/room/"), 10, 64)
	if err != nil {
		u.rec.add(ActCreate, 0, fmt.Errorf("unreadable Location %q", loc))
		return 0
	}
	if err := u.page(ctx, ActRoom, "/room/"+strconv.FormatInt(room, 10)); err != nil {
		return 0
	}
	return room
}

// post posts messages to the user's open room (which polls all the
// while): posts of them, or, when posts is 0, as many as fit before until.
// It visits the home page before every fifth and returns the ids of the
// posts the app acknowledged.
func (u *user) post(ctx context.Context, room int64, posts int, until time.Time, think, poll time.Duration) (acked []int64) {
	roomPath := "/room/" + strconv.FormatInt(room, 10)
	prefix := roomPath + "#message-"
	var last atomic.Int64
	if poll > 0 {
		stop := u.pollRoom(ctx, roomPath, poll, &last)
		defer stop()
	}
	for i := 0; posts == 0 || i < posts; i++ {
		if posts == 0 && !time.Now().Before(until) {
			break
		}
		if i > 0 && i%5 == 0 {
			_ = u.page(ctx, ActBrowse, "/")
		}
		if think > 0 {
			select {
			case <-time.After(think/2 + rand.N(think)):
			case <-ctx.Done():
				return acked
			}
			if posts == 0 && !time.Now().Before(until) {
				break
			}
		}
		loc, err := u.form(ctx, ActPost, roomPath, url.Values{"body": {fmt.Sprintf("message %d from %s", i+1, u.name)}}, prefix)
		if err != nil {
			continue
		}
		if id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64); err == nil {
			acked = append(acked, id)
			last.Store(id)
		}
	}
	return acked
}

// pollRoom asks for the room's messages newer than the last one the user
// posted every interval (jittered so the users do not poll in step), as
// the open room page does, until stopped. A poll the end of the run cuts
// short is not counted.
func (u *user) pollRoom(ctx context.Context, roomPath string, interval time.Duration, last *atomic.Int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-time.After(interval/2 + rand.N(interval)):
			case <-ctx.Done():
				return
			}
			u.poll(ctx, u.base+roomPath+"/messages?after="+strconv.FormatInt(last.Load(), 10))
		}
	}()
	return func() { cancel(); <-done }
}

func (u *user) poll(ctx context.Context, url string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return
	}
	start := time.Now()
	resp, err := u.client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s answered %d", req.URL.Path, resp.StatusCode)
		}
	}
	if ctx.Err() != nil {
		return
	}
	u.rec.add(ActPoll, time.Since(start), err)
	if resp != nil {
		u.rec.addHops(ActPoll, resp.Header)
	}
}

func (u *user) newBrowser() {
	jar, _ := cookiejar.New(nil)
	u.client = &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// form posts a form and expects a 303 to a Location starting with want;
// it returns the Location.
func (u *user) form(ctx context.Context, action, path string, form url.Values, want string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	resp, err := u.client.Do(req)
	var body []byte
	if err == nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		u.rec.addHops(action, resp.Header)
	}
	d := time.Since(start)
	loc := ""
	if err == nil {
		loc = resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, want) {
			err = fmt.Errorf("POST %s answered %d%s", path, resp.StatusCode, fieldErrors(body))
		}
	}
	u.rec.add(action, d, err)
	return loc, err
}

// fieldErrors returns the form's error messages in an answer, for the
// operator: ": Username is already taken; …".
func fieldErrors(body []byte) string {
	var msgs []string
	rest := string(body)
	for {
		_, after, ok := strings.Cut(rest, `class="field-error">`)
		if !ok {
			break
		}
		msg, tail, _ := strings.Cut(after, "<")
		msgs = append(msgs, html.UnescapeString(msg))
		rest = tail
	}
	if len(msgs) == 0 {
		return ""
	}
	return ": " + strings.Join(msgs, "; ")
}

// page GETs a page and expects 200.
func (u *user) page(ctx context.Context, action, path string) error {
	_, err := get(ctx, u.client, u.rec, action, u.base+path)
	return err
}

// get fetches u, records it under action and returns the body of a 200.
func get(ctx context.Context, c *http.Client, rec *recorder, action, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, err := c.Do(req)
	var body []byte
	if err == nil {
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		rec.addHops(action, resp.Header)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("GET %s answered %d", req.URL.Path, resp.StatusCode)
		}
	}
	rec.add(action, time.Since(start), err)
	return body, err
}

// verify reads the room through the app's JSON API, page by page (newest
// first; has_earlier and ?before=<first id> reach older ones), and returns
// how many of the acknowledged ids are not among its messages.
func verify(ctx context.Context, base string, rec *recorder, room int64, ids []int64) int {
	missing := map[int64]bool{}
	for _, id := range ids {
		missing[id] = true
	}
	u := base + "/api/rooms/" + strconv.FormatInt(room, 10)
	for page := u; page != "" && len(missing) > 0; {
		body, err := get(ctx, http.DefaultClient, rec, ActVerify, page)
		if err != nil {
			break
		}
		var detail struct {
			Messages []struct {
				ID int64 `json:"id"`
			} `json:"messages"`
			HasEarlier bool `json:"has_earlier"`
		}
		if err := json.Unmarshal(body, &detail); err != nil {
			rec.add(ActVerify, 0, errors.New("unreadable room JSON: "+err.Error()))
			break
		}
		oldest := int64(0)
		for _, m := range detail.Messages {
			delete(missing, m.ID)
			if oldest == 0 || m.ID < oldest {
				oldest = m.ID
			}
		}
		page = ""
		if detail.HasEarlier && oldest > 0 {
			page = u + "?before=" + strconv.FormatInt(oldest, 10)
		}
	}
	return len(missing)
}

// startProgress rewrites one line on w twice a second until stopped.
func startProgress(w io.Writer, rec *recorder, posts int, duration time.Duration) (stop func()) {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	start := time.Now()
	line := func() {
		total, failed := rec.counts()
		of := fmt.Sprintf("/%d", posts)
		if duration > 0 {
			of = "" // the posting phase's length is the limit, not a count
		}
		fmt.Fprintf(w, "\r  %d%s posts · %d requests · %d errors · %s   ", rec.count(ActPost), of, total, failed,
			time.Since(start).Round(100*time.Millisecond))
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				line()
				fmt.Fprintln(w)
				return
			case <-t.C:
				line()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

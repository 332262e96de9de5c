package console

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
)

// TestTraceRowsGroupFoldAndRender records what one open room page and a
// home page view leave behind and renders the page: the home page's three
// parallel calls are one row that names the app's time, the Lambda and
// PostgreSQL times and the scale-out; 20 polls are one row with ×20; an
// S3 call is a row of its own; "cold" finds the cold starts.
func TestTraceRowsGroupFoldAndRender(t *testing.T) {
	rec := NewRecorder(0, 0)
	base := time.Now().Add(-time.Minute)
	for i := range 20 {
		rec.RecordTrace(&apigateway.Trace{RequestID: "poll" + string(rune('a'+i)), ClientRequestID: "p-" + string(rune('a'+i)),
			Start: base.Add(time.Duration(i) * 2 * time.Second), Method: "GET", Path: "/rooms/3/messages", Status: 200,
			Total: time.Millisecond, Lambda: &lambda.Result{RequestID: "l", Duration: time.Millisecond}})
	}
	home := base.Add(50 * time.Second)
	for i, path := range []string{"/rooms", "/topics", "/activity"} {
		rec.RecordTrace(&apigateway.Trace{RequestID: "home" + path, ClientRequestID: "page-home", Start: home.Add(time.Duration(i) * time.Millisecond),
			Method: "GET", Path: path, Status: 200, Total: 40 * time.Millisecond, ServerTiming: "fn;dur=12.5, db;dur=4.25",
			Lambda: &lambda.Result{RequestID: "cold" + path, Instance: "i" + path, Cold: true, Duration: 30 * time.Millisecond}})
	}
	rec.RecordPage(Page{RequestID: "page-home", Method: "GET", Path: "/", Status: 200, Start: home, TotalMs: 48, AppMs: 6.5, Calls: 3})
	rec.RecordS3(s3.Request{RequestID: "S3REQ", Op: "PutObject", Method: "PUT", Bucket: "avatars", Key: "u/1.png", Status: 200, Start: home})

	rows := groupTraces(rec.Traces(), rec.page, true)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want S3, the home page view and the folded polls", len(rows))
	}
	s3Row, homeRow, polls := rows[0], rows[1], rows[2]
	if s3Row.Traces[0].Operation != "PutObject" {
		t.Errorf("first row %+v, want the S3 PutObject", s3Row.Traces[0])
	}
	if !homeRow.PageView() || len(homeRow.Traces) != 3 || homeRow.Page == nil || homeRow.DBMs != 12.75 || homeRow.Started != 3 || homeRow.Parallel != 3 {
		t.Errorf("home row: page view %v, %d calls, page %v, db %v ms, %d started, %d parallel",
			homeRow.PageView(), len(homeRow.Traces), homeRow.Page, homeRow.DBMs, homeRow.Started, homeRow.Parallel)
	}
	if polls.Folded != 20 || polls.Traces[0].APIGWRequestID != "pollt" {
		t.Errorf("polls row folds %d (newest %s), want 20 under the newest", polls.Folded, polls.Traces[0].APIGWRequestID)
	}
	if n := len(groupTraces(rec.Traces(), rec.page, false)); n != 22 {
		t.Errorf("without folding %d rows, want 22", n)
	}

	c := New(Options{Recorder: rec, S3: s3.New(nil), Lambda: mustLambda(t), Gateway: apigateway.New(apigateway.Options{})})
	d := pageData{Groups: rows}
	var buf bytes.Buffer
	if err := c.templates().ExecuteTemplate(&buf, "live", d); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{"×20 since", "own time", "6.50 ms", "PostgreSQL", "12.8 ms",
		"3 calls in parallel: 3 new instances started (cold starts)", "PutObject", "/avatars/u/1.png", `data-request-id="page-home"`} {
		if !strings.Contains(html, want) {
			t.Errorf("the page lacks %q", want)
		}
	}

	cold, _ := c.findTraces("cold", 0)
	if len(cold) != 3 {
		t.Errorf("searching cold finds %d traces, want the 3 cold starts", len(cold))
	}
	if page, _ := c.findTraces("page-home", 0); len(page) != 3 {
		t.Errorf("searching the page's request id finds %d traces, want its 3 calls", len(page))
	}
}

func mustLambda(t *testing.T) *lambda.Service {
	t.Helper()
	s, err := lambda.New(lambda.Options{WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(t.Context()) })
	return s
}

// TestTimelineShowsScaleOut: three calls at once on three new instances
// are three lanes starting together, and the console says so; a later
// warm call reuses a lane.
func TestTimelineShowsScaleOut(t *testing.T) {
	t0 := time.Now()
	invs := []*Invocation{ // newest first, as recorded
		{Instance: "a", PID: 1, Start: t0.Add(500 * time.Millisecond), DurationMs: 5},
		{Instance: "c", PID: 3, Cold: true, Start: t0.Add(30 * time.Millisecond), DurationMs: 80},
		{Instance: "b", PID: 2, Cold: true, Start: t0.Add(10 * time.Millisecond), DurationMs: 90},
		{Instance: "a", PID: 1, Cold: true, Start: t0, DurationMs: 100},
	}
	tl := buildTimeline(invs)
	if len(tl.Lanes) != 3 || len(tl.Lanes[0].Bars) != 2 || tl.Lanes[0].Instance != "a" {
		t.Fatalf("lanes %+v", tl.Lanes)
	}
	if tl.Burst != "3 instances started within 30.0 ms: parallel calls, Lambda scaled out" {
		t.Errorf("burst %q", tl.Burst)
	}
	if b := tl.Lanes[0].Bars[1]; b.Cold || b.Left < 90 {
		t.Errorf("the warm call's bar %+v", b)
	}
}

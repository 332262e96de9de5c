package console

import (
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
)

func TestRecorderIsBoundedByBytes(t *testing.T) {
	// Traces with a long function log weigh about 17 KB each: a 60 KB
	// budget keeps the newest three of them.
	r := NewRecorder(60<<10, 2)
	for i := 0; i < 10; i++ {
		res := &lambda.Result{RequestID: string(rune('a' + i)), Log: strings.Repeat("x", 40<<10)}
		r.RecordTrace(&apigateway.Trace{RequestID: string(rune('a' + i)), Start: time.Now(), Status: 200, Lambda: res})
		r.RecordInvocation("fn", res)
	}
	traces := r.Traces()
	if len(traces) != 3 || traces[0].APIGWRequestID != "j" || traces[2].APIGWRequestID != "h" || traces[0].Seq != 10 {
		t.Errorf("traces = %v, want the newest three, newest first", ids(traces))
	}
	invs := r.Invocations("fn")
	if len(invs) != 2 || invs[0].RequestID != "j" || len(invs[0].Log) != maxLogBytes {
		t.Errorf("invocations: %d, newest %q, log %d bytes", len(invs), invs[0].RequestID, len(invs[0].Log))
	}
	// Small traces (a poll answered from a warm instance, an S3 call)
	// weigh little: the same budget keeps many more of them.
	for i := 0; i < 1000; i++ {
		r.RecordS3(s3.Request{RequestID: "s", Op: "GetObject", Bucket: "b", Key: "k", Status: 200, Start: time.Now()})
	}
	if n := len(r.Traces()); n < 60 || n > 120 {
		t.Errorf("a 60 KB budget keeps %d small traces, want about a hundred", n)
	}
	r.Forget(map[string]bool{})
	r.Reset()
	if len(r.Traces()) != 0 || len(r.Invocations("fn")) != 0 {
		t.Error("reset kept something")
	}
}

func ids(ts []*Trace) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.APIGWRequestID)
	}
	return out
}

func TestRecorderWakesSubscribersWithoutBlocking(t *testing.T) {
	r := NewRecorder(0, 0)
	ch := r.subscribe()
	defer r.unsubscribe(ch)
	for i := 0; i < 5; i++ { // nobody reads: must not block
		r.RecordTrace(&apigateway.Trace{RequestID: "x"})
	}
	select {
	case <-ch:
	default:
		t.Fatal("no wake-up after a trace")
	}
}

func TestMaskValue(t *testing.T) {
	cases := map[[2]string]string{
		{"TOKEN_SECRET", "abc"}:                         "•••••• (3 characters, hidden)",
		{"DATABASE_URL", "postgres://app:pw@h:5432/db"}: "postgres://app:xxxxx@h:5432/db",
		{"DATABASE_URL", "postgres://h/db"}:             "postgres://h/db",
		{"GREETING", "hello"}:                           "hello",
	}
	for in, want := range cases {
		if got := maskValue(in[0], in[1]); got != want {
			t.Errorf("maskValue(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

func TestTraceMatches(t *testing.T) {
	tr := &Trace{APIGWRequestID: "AbCdEf=", RouteKey: "POST /rooms", Path: "/rooms",
		Lambda: &Invocation{RequestID: "1234-abcd", PID: 42, Instance: "fn-3", Log: `{"apigw_request_id":"AbCdEf="}`}}
	for _, q := range []string{"AbCdEf=", "abcdef=", "post /rooms", "1234-abcd", "42", "fn-3"} {
		if !tr.matches(q) {
			t.Errorf("%q does not match", q)
		}
	}
	if tr.matches("nope") {
		t.Error("an unrelated query matches")
	}
}

func TestFormatting(t *testing.T) {
	for in, want := range map[float64]string{0.073: "73 µs", 2.5: "2.50 ms", 23.84: "23.8 ms", 1500: "1.50 s"} {
		if got := formatMs(in); got != want {
			t.Errorf("formatMs(%v) = %q, want %q", in, got, want)
		}
	}
	lines := logLines("START RequestId: x\nhello id-1\nEND RequestId: x\n", "id-1")
	if len(lines) != 3 || lines[0].Class != "meta" || lines[1].Class != "match" {
		t.Errorf("logLines = %+v", lines)
	}
}

func TestRecorderRequestsPerSecond(t *testing.T) {
	r := NewRecorder(2, 0) // the rate counts past the two kept traces
	base := time.Unix(1_000_000, 0)
	for i := range 30 {
		// 10 requests in each of three seconds.
		r.RecordTrace(&apigateway.Trace{RequestID: "x", Start: base.Add(time.Duration(i) * 100 * time.Millisecond)})
	}
	for _, c := range []struct {
		now  time.Time
		want float64
	}{
		{base.Add(500 * time.Millisecond), 0}, // the current second is still filling
		{base.Add(3 * time.Second), 30.0 / 5}, // all three seconds in the window
		{base.Add(7 * time.Second), 10.0 / 5}, // only the third left
		{base.Add(8 * time.Second), 0},        // all out of the window
		{base.Add(3*time.Second + 6*time.Second + 500*time.Millisecond), 0},
	} {
		if got := r.RequestsPerSecond(c.now); got != c.want {
			t.Errorf("at +%s: %v requests/s, want %v", c.now.Sub(base), got, c.want)
		}
	}
	// A slot reused six seconds later counts afresh.
	r.RecordTrace(&apigateway.Trace{RequestID: "y", Start: base.Add(6 * time.Second)})
	if got := r.RequestsPerSecond(base.Add(7 * time.Second)); got != 11.0/5 {
		t.Errorf("after reuse: %v, want %v", got, 11.0/5)
	}
	r.Reset()
	if got := r.RequestsPerSecond(base.Add(7 * time.Second)); got != 0 {
		t.Errorf("after reset: %v", got)
	}
}

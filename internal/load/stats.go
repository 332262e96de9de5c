package load

import (
	"fmt"
	"io"
	"slices"
	"sync"
	"text/tabwriter"
	"time"
)

// Action names, in the order a simulated user performs them.
const (
	ActRegister = "register"
	ActLogin    = "log in"
	ActHome     = "home page"
	ActCreate   = "create room"
	ActRoom     = "open room"
	ActPost     = "post message"
	// ActBrowse is a home page visit while the users post (every fifth
	// post), ActPoll an open room asking for new messages as its page
	// does every two seconds.
	ActBrowse = "home page, posting"
	ActPoll   = "poll room"
	ActVerify = "verify room"
)

var actionOrder = []string{ActRegister, ActLogin, ActHome, ActCreate, ActRoom, ActPost, ActBrowse, ActPoll, ActVerify}

// ActionStats summarises one action over the run.
type ActionStats struct {
	Action             string
	Count, Errors      int
	P50, P90, P99, Max time.Duration
}

// recorder collects the duration and outcome of every action.
type recorder struct {
	mu    sync.Mutex
	times map[string][]time.Duration
	// hops holds the per-hop durations of every request, postHops those
	// of the posts.
	hops, postHops map[string][]time.Duration
	errors         map[string]int
	total          int
	failed         int
	// firstErrors keeps a few error texts to show the operator.
	firstErrors []string
}

func newRecorder() *recorder {
	return &recorder{times: map[string][]time.Duration{}, errors: map[string]int{},
		hops: map[string][]time.Duration{}, postHops: map[string][]time.Duration{}}
}

func (r *recorder) add(action string, d time.Duration, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.times[action] = append(r.times[action], d)
	r.total++
	if err != nil {
		r.errors[action]++
		r.failed++
		if len(r.firstErrors) < 5 {
			r.firstErrors = append(r.firstErrors, action+": "+err.Error())
		}
	}
}

func (r *recorder) counts() (total, failed int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total, r.failed
}

func (r *recorder) count(action string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.times[action])
}

func (r *recorder) stats() []ActionStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []ActionStats
	for _, a := range actionOrder {
		d := slices.Clone(r.times[a])
		if len(d) == 0 {
			continue
		}
		q := summarize(d)
		out = append(out, ActionStats{Action: a, Count: len(d), Errors: r.errors[a], P50: q.p50, P90: q.p90, P99: q.p99, Max: q.max})
	}
	return out
}

// quantiles are the figures every table shows.
type quantiles struct{ p50, p90, p99, max time.Duration }

// summarize sorts d in place and returns its quantiles; d is not empty.
func summarize(d []time.Duration) quantiles {
	slices.Sort(d)
	return quantiles{percentile(d, 50), percentile(d, 90), percentile(d, 99), d[len(d)-1]}
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n)
	return sorted[max(rank, 1)-1]
}

// Print writes the per-action table and the verification result.
func (r *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "action\tcount\terrors\tp50\tp90\tp99\tmax\t")
	for _, s := range r.Actions {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t\n", s.Action, s.Count, s.Errors, ms(s.P50), ms(s.P90), ms(s.P99), ms(s.Max))
	}
	_ = tw.Flush()
	what := fmt.Sprintf("%d users × %d posts", r.Users, r.PostsPerUser)
	if r.Duration > 0 {
		what = fmt.Sprintf("%d users posting for %s", r.Users, r.Duration)
	}
	fmt.Fprintf(w, "\n%s in %s: %d errors; %d posts acknowledged, %d present afterwards, %d missing.\n",
		what, r.Elapsed.Round(time.Millisecond), r.Errors, r.Acknowledged, r.Acknowledged-r.Missing, r.Missing)
	for _, e := range r.FirstErrors {
		fmt.Fprintln(w, "  error:", e)
	}
	r.Posting.print(w)
	printHops(w, r.Hops)
	if r.Stack != nil {
		r.Stack.Print(w)
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

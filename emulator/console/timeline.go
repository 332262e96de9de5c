package console

import (
	"slices"
	"strconv"
	"time"
)

// timeline is a function's recent invocations laid out per instance over
// time: one lane per instance, one bar per invocation. Parallel calls that
// start new instances show as new lanes beginning at the same moment.
type timeline struct {
	Lanes []lane
	// Span is the time the timeline covers.
	SpanMs float64
	// Burst says the most instances cold-started close together (within
	// burstWindow), e.g. "3 instances started within 40 ms".
	Burst string
}

type lane struct {
	Instance string
	PID      int
	Bars     []bar
}

type bar struct {
	Left, Width float64 // percent of the span
	Cold, Error bool
	Title       string
}

// burstWindow is how close cold starts must be to count as one scale-out.
const burstWindow = time.Second

// buildTimeline lays out invocations (newest first, as recorded).
func buildTimeline(invs []*Invocation) *timeline {
	if len(invs) == 0 {
		return nil
	}
	first, last := invs[0].Start, invs[0].Start
	for _, inv := range invs {
		end := inv.Start.Add(time.Duration(inv.DurationMs * float64(time.Millisecond)))
		if inv.Start.Before(first) {
			first = inv.Start
		}
		if end.After(last) {
			last = end
		}
	}
	span := last.Sub(first)
	if span <= 0 {
		span = time.Millisecond
	}
	tl := &timeline{SpanMs: ms(span)}
	index := map[string]int{}
	ordered := slices.Clone(invs)
	slices.SortFunc(ordered, func(a, b *Invocation) int { return a.Start.Compare(b.Start) })
	var colds []time.Time
	for _, inv := range ordered {
		i, ok := index[inv.Instance]
		if !ok {
			i = len(tl.Lanes)
			index[inv.Instance] = i
			tl.Lanes = append(tl.Lanes, lane{Instance: inv.Instance, PID: inv.PID})
		}
		left := float64(inv.Start.Sub(first)) * 100 / float64(span)
		width := inv.DurationMs * float64(time.Millisecond) * 100 / float64(span)
		title := inv.Start.Format("15:04:05.000") + " · " + formatMs(inv.DurationMs)
		if inv.Cold {
			title += " · cold start"
			colds = append(colds, inv.Start)
		}
		if inv.ErrorType != "" {
			title += " · " + inv.ErrorType
		}
		tl.Lanes[i].Bars = append(tl.Lanes[i].Bars, bar{Left: round1(left), Width: round1(max(width, 0.5)), Cold: inv.Cold,
			Error: inv.ErrorType != "", Title: title})
	}
	best, bestSpan := 0, time.Duration(0)
	for i := range colds {
		j := i
		for j+1 < len(colds) && colds[j+1].Sub(colds[i]) <= burstWindow {
			j++
		}
		if n := j - i + 1; n > best {
			best, bestSpan = n, colds[j].Sub(colds[i])
		}
	}
	if best >= 2 {
		tl.Burst = strconv.Itoa(best) + " instances started within " + formatMs(ms(bestSpan)) + ": parallel calls, Lambda scaled out"
	}
	return tl
}

func round1(v float64) float64 { return float64(int(v*10)) / 10 }

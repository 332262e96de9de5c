package dataapi

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/coolroom/testbed/internal/servertiming"
)

// TestTimingCountsOverlappingCallsOnce: a page's own time is what is left
// when at least one call was in flight, so parallel calls are not
// subtracted twice; each call keeps its own figures, in call order.
func TestTimingCountsOverlappingCallsOnce(t *testing.T) {
	_, c := WithCalls(context.Background(), "")
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	c.calls = []call{
		{start: at(5), end: at(9), fn: 2 * time.Millisecond, db: time.Millisecond}, // overlaps the next
		{start: at(2), end: at(6), fn: 3 * time.Millisecond},
		{start: at(7), end: at(8)}, // inside the first
		{start: at(12), end: at(14)},
	}
	got := c.Timing(20 * time.Millisecond)
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	want := []servertiming.Metric{{Name: "app", Dur: ms(20 - 7 - 2)},
		{Name: "api", Dur: ms(4)}, {Name: "fn", Dur: ms(3)}, {Name: "db", Dur: 0},
		{Name: "api", Dur: ms(4)}, {Name: "fn", Dur: ms(2)}, {Name: "db", Dur: ms(1)},
		{Name: "api", Dur: ms(1)}, {Name: "fn", Dur: 0}, {Name: "db", Dur: 0},
		{Name: "api", Dur: ms(2)}, {Name: "fn", Dur: 0}, {Name: "db", Dur: 0}}
	if !slices.Equal(got, want) {
		t.Errorf("Timing = %v\nwant %v", got, want)
	}
}

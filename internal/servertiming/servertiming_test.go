package servertiming

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestFormatAndParse(t *testing.T) {
	ms := []Metric{{App, 1500 * time.Microsecond}, {Call, 2 * time.Millisecond}, {Fn, 250 * time.Microsecond}, {DB, 0}}
	h := Format(ms)
	if h != "app;dur=1.500, api;dur=2.000, fn;dur=0.250, db;dur=0.000" {
		t.Errorf("Format = %q", h)
	}
	if got := Parse([]string{h}); !slices.Equal(got, ms) {
		t.Errorf("Parse(Format) = %v, want %v", got, ms)
	}
	// Other servers' entries: descriptions, quoted values, no duration,
	// garbage; several header lines.
	got := Parse([]string{`cache;desc="Cache Read";dur=23.2, miss, total;dur=abc`, `db;DUR="1.5"`, `;dur=3, neg;dur=-1`})
	want := []Metric{{"cache", 23200 * time.Microsecond}, {"db", 1500 * time.Microsecond}}
	if !slices.Equal(got, want) {
		t.Errorf("Parse = %v, want %v", got, want)
	}
}

func TestClockAddsOnlyWhereSet(t *testing.T) {
	AddDB(context.Background(), time.Second) // no clock: nothing to do, no panic
	ctx, c := WithClock(context.Background())
	AddDB(ctx, time.Millisecond)
	AddDB(ctx, 2*time.Millisecond)
	if c.Total() != 3*time.Millisecond {
		t.Errorf("Total = %s", c.Total())
	}
}

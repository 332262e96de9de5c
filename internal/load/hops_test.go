package load

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestHopSamplesSplitsEachCall: the gateway hop is a call's round trip
// less the handler's time, the handler's own time excludes PostgreSQL, and
// fn/db belong to the call they follow.
func TestHopSamplesSplitsEachCall(t *testing.T) {
	h := http.Header{}
	h.Add("Server-Timing", "app;dur=1.000, api;dur=5.000, fn;dur=3.000, db;dur=2.000")
	h.Add("Server-Timing", "api;dur=4.000, fn;dur=1.500, db;dur=0.500, api;dur=2.000")
	got := hopSamples(h)
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	want := map[string][]time.Duration{
		HopApp:     {ms(1)},
		HopGateway: {ms(2), ms(2.5), ms(2)}, // the last call reported no fn
		HopHandler: {ms(1), ms(1)},
		HopDB:      {ms(2), ms(0.5)},
	}
	for hop, w := range want {
		if !slices.Equal(got[hop], w) {
			t.Errorf("%s = %v, want %v", hop, got[hop], w)
		}
	}
}

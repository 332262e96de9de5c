package tests

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/coolroom/testbed/internal/load"
)

// TestLoadThroughTheStack runs a small `coolroom load` through the real
// stack: every action succeeds and every acknowledged post is there.
// (`coolroom load` runs the full 50 × 20; figures are in the README.)
func TestLoadThroughTheStack(t *testing.T) {
	st := sharedStack(t)
	rep, err := load.Run(context.Background(), load.Options{BaseURL: st.AppURL, Users: 8, Posts: 5,
		EmulatorURL: st.EmulatorURL, SameProcess: true})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.Print(&out)
	t.Log("\n" + out.String())
	if !rep.OK() {
		t.Errorf("load through the stack: %d errors, %d of %d acknowledged posts missing", rep.Errors, rep.Missing, rep.Acknowledged)
	}

	// Every hop is reported, each post with its one data-API call.
	hops := map[string]load.HopStats{}
	for _, h := range rep.Hops {
		hops[h.Hop] = h
	}
	for _, hop := range []string{load.HopApp, load.HopGateway, load.HopHandler, load.HopDB} {
		if h := hops[hop]; h.Count == 0 || h.PostCount != 8*5 || h.P50 <= 0 && hop != load.HopHandler {
			t.Errorf("hop %q: %+v, want figures for every request and the 40 posts", hop, h)
		}
	}
	// How far the function scaled, and the memory of the stack (this test
	// process runs the emulator, the app and PostgreSQL's parent).
	s := rep.Stack
	if s == nil || s.Err != "" || len(s.Functions) != 1 || s.Functions[0].Peak < 1 || s.Functions[0].ColdStarts < s.Functions[0].Peak {
		t.Fatalf("stack info: %+v", s)
	}
	if p := rep.Posting; p == nil || p.Requests < 8*5 || runtime.GOOS == "linux" && p.CPU <= 0 {
		t.Errorf("posting phase: %+v, want the 40 posts and, on Linux, the CPU they cost", p)
	}
	// The function processes and PostgreSQL are this machine's only when
	// the emulator runs in this process (not in a container).
	if runtime.GOOS == "linux" && st.Emulator != nil {
		groups := map[string]load.ProcessGroup{}
		for _, g := range s.Memory.Groups {
			groups[g.Name] = g
		}
		if s.Memory.Err != "" || groups["bootstrap"].Count != s.Functions[0].Alive || groups["bootstrap"].RSS <= 0 ||
			groups["postgres"].Count == 0 || s.Memory.PSS <= 0 || s.Memory.PSS > s.Memory.RSS {
			t.Errorf("memory: %+v (want the %d bootstrap processes and PostgreSQL)", s.Memory, s.Functions[0].Alive)
		}
	}
	for _, want := range []string{"Per hop", "PostgreSQL (per call)", "scaled to", "whole stack", "Floor when all 8 users"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

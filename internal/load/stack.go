package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// StackInfo is what the emulator's console says about the run and what
// /proc says about the stack's memory right after it.
type StackInfo struct {
	// Err says why the rest is missing (the emulator did not answer).
	Err       string
	Functions []FunctionScale
	// RequestsPerSecond is the console's figure at the end of the run.
	RequestsPerSecond float64
	// Traces is how many recent API Gateway traces Gateway, Invoke and
	// Queued summarise.
	Traces                 int
	Gateway, Invoke, Queue [2]time.Duration // p50, p99
	Memory                 Memory
}

// FunctionScale is how far a function scaled out.
type FunctionScale struct {
	Name                    string
	Peak, ColdStarts, Alive int
}

// consoleState is the part of GET /_console/api/state the report uses.
type consoleState struct {
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	Functions         []struct {
		Name          string `json:"name"`
		ColdStarts    int    `json:"coldStarts"`
		PeakInstances int    `json:"peakInstances"`
		Instances     []struct {
			PID int `json:"pid"`
		} `json:"instances"`
	} `json:"functions"`
}

// consoleTraces is the part of GET /_console/api/traces the report uses.
type consoleTraces struct {
	Traces []struct {
		TotalMs float64 `json:"totalMs"`
		Lambda  *struct {
			DurationMs float64 `json:"durationMs"`
			QueuedMs   float64 `json:"queuedMs"`
		} `json:"lambda"`
	} `json:"traces"`
}

// inspectStack asks the emulator's console at emulatorURL how far the
// functions scaled and how the last traces split between the gateway and
// the invocation, and measures the memory of the process tree the
// functions run under. self says that tree is this process's own.
func inspectStack(ctx context.Context, emulatorURL string, self bool) *StackInfo {
	info := &StackInfo{}
	var st consoleState
	if err := getConsole(ctx, emulatorURL+"/_console/api/state", &st); err != nil {
		info.Err = err.Error()
		return info
	}
	info.RequestsPerSecond = st.RequestsPerSecond
	var pids []int
	for _, f := range st.Functions {
		info.Functions = append(info.Functions, FunctionScale{Name: f.Name, Peak: f.PeakInstances, ColdStarts: f.ColdStarts, Alive: len(f.Instances)})
		for _, in := range f.Instances {
			pids = append(pids, in.PID)
		}
	}
	var tr consoleTraces
	if err := getConsole(ctx, emulatorURL+"/_console/api/traces?limit=200", &tr); err == nil {
		var gw, inv, q []time.Duration
		for _, t := range tr.Traces {
			if t.Lambda == nil {
				continue
			}
			gw = append(gw, msDur(t.TotalMs-t.Lambda.DurationMs))
			inv = append(inv, msDur(t.Lambda.DurationMs-t.Lambda.QueuedMs))
			q = append(q, msDur(t.Lambda.QueuedMs))
		}
		info.Traces = len(gw)
		info.Gateway, info.Invoke, info.Queue = p50p99(gw), p50p99(inv), p50p99(q)
	}
	info.Memory = measureMemory(pids, self)
	return info
}

func msDur(ms float64) time.Duration { return time.Duration(max(ms, 0) * float64(time.Millisecond)) }

func p50p99(d []time.Duration) [2]time.Duration {
	if len(d) == 0 {
		return [2]time.Duration{}
	}
	slices.Sort(d)
	return [2]time.Duration{percentile(d, 50), percentile(d, 99)}
}

func getConsole(ctx context.Context, u string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("the emulator's console did not answer: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s answered %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Print writes the scaling, the emulator's split of the gateway hop and
// the memory table.
func (s *StackInfo) Print(w io.Writer) {
	if s.Err != "" {
		fmt.Fprintf(w, "\nLambda instances and memory: not available (%s).\n", s.Err)
		return
	}
	fmt.Fprintln(w)
	for _, f := range s.Functions {
		fmt.Fprintf(w, "Lambda %s: scaled to %d instances (%d cold starts, %d alive now).\n", f.Name, f.Peak, f.ColdStarts, f.Alive)
	}
	if s.Traces > 0 {
		fmt.Fprintf(w, "Emulator, last %d API Gateway traces (p50 / p99): gateway own time %s / %s, Lambda invoke %s / %s, queued for an instance %s / %s.\n",
			s.Traces, ms(s.Gateway[0]), ms(s.Gateway[1]), ms(s.Invoke[0]), ms(s.Invoke[1]), ms(s.Queue[0]), ms(s.Queue[1]))
	}
	s.Memory.print(w)
}

// printTable writes rows of cells as an aligned table, the first row the
// header.
func printTable(w io.Writer, rows [][]string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	_ = tw.Flush()
}

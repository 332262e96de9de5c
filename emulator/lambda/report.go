package lambda

import (
	"fmt"
	"strings"
	"time"
)

// The REPORT line as AWS writes it, with the instance's peak memory and,
// on a cold start, the init phase:
//
//	REPORT RequestId: …	Duration: 1.23 ms	Billed Duration: 2 ms	Memory Size: 128 MB	Max Memory Used: 18 MB	Init Duration: 41.07 ms

func reportLine(id string, res *Result, memory int32) string {
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB",
		id, ms(res.Duration), res.Duration.Milliseconds()+1, memory)
	if res.MaxMemoryUsedMB > 0 {
		fmt.Fprintf(&b, "\tMax Memory Used: %d MB", res.MaxMemoryUsedMB)
	}
	if res.Cold && res.InitDuration > 0 {
		fmt.Fprintf(&b, "\tInit Duration: %.2f ms", ms(res.InitDuration))
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// markInitDone records the first /next poll: the runtime has finished its
// init phase.
func (in *instance) markInitDone() {
	in.mu.Lock()
	if in.initDone.IsZero() {
		in.initDone = time.Now()
	}
	in.mu.Unlock()
}

// measure fills the result's memory and init figures once the instance
// has answered (the process is still there to be asked about its peak).
func (in *instance) measure(res *Result) {
	if in.cmd != nil && in.cmd.Process != nil {
		res.MaxMemoryUsedMB = peakRSSMB(in.cmd.Process.Pid)
	}
	if res.Cold {
		in.mu.Lock()
		if !in.initDone.IsZero() {
			res.InitDuration = in.initDone.Sub(in.started)
		}
		in.mu.Unlock()
	}
}

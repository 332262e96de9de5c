package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is Linux's USER_HZ, the unit of /proc/<pid>/stat's CPU times;
// it is 100 on every architecture Go supports there.
const clockTick = 100

// Posting is the posting phase (every user in their room, posting,
// browsing and polling) and the CPU the stack spent on it: what bounds
// the response time when the users keep the machine busy.
type Posting struct {
	Elapsed  time.Duration
	Requests int
	// CPU is the CPU time of the stack's process tree over the phase;
	// zero when it could not be read.
	CPU   time.Duration
	Cores int
	Users int
	// SameProcess: the tree includes the load users themselves.
	SameProcess bool
}

// stackRoot returns the pid at the top of the stack's process tree: this
// process, or the emulator's as its console reports it; 0 if unknown.
func stackRoot(ctx context.Context, emulatorURL string, self bool) int {
	if self {
		return os.Getpid()
	}
	var st struct {
		PID int `json:"emulatorPid"`
	}
	if emulatorURL == "" || getConsole(ctx, strings.TrimSuffix(emulatorURL, "/")+"/_console/api/state", &st) != nil {
		return 0
	}
	return st.PID
}

// treeCPU is the CPU time (user and system, with that of reaped children)
// of root and every process under it.
func treeCPU(root int) time.Duration {
	if root <= 0 {
		return 0
	}
	children := processChildren()
	var ticks int64
	var walk func(pid, depth int)
	walk = func(pid, depth int) {
		b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
		if err == nil {
			s := string(b)
			if i := strings.LastIndexByte(s, ')'); i >= 0 {
				// After the name: state ppid … utime stime cutime cstime
				// are fields 12–15 (0-based 11–14).
				if f := strings.Fields(s[i+1:]); len(f) > 14 {
					for _, v := range f[11:15] {
						n, _ := strconv.ParseInt(v, 10, 64)
						ticks += n
					}
				}
			}
		}
		if depth < 8 {
			for _, c := range children[pid] {
				walk(c, depth+1)
			}
		}
	}
	walk(root, 0)
	return time.Duration(ticks) * time.Second / clockTick
}

// processChildren maps each pid to its children's.
func processChildren() map[int][]int {
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, err := procParent(pid); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	return children
}

// print explains the phase's CPU cost and the response time it implies:
// with every user always waiting on an answer, Little's law makes the
// mean response time at least users × CPU per request / cores.
func (p *Posting) print(w io.Writer) {
	if p == nil || p.Requests == 0 {
		return
	}
	rate := float64(p.Requests) / p.Elapsed.Seconds()
	fmt.Fprintf(w, "\nPosting phase: %d requests (posts, home pages, polls) in %s, %.0f/s.\n", p.Requests, p.Elapsed.Round(time.Millisecond), rate)
	if p.CPU <= 0 {
		fmt.Fprintln(w, "CPU of the stack: not available (no /proc, or the emulator's console did not say its pid).")
		return
	}
	per := p.CPU / time.Duration(p.Requests)
	who := "the stack"
	if p.SameProcess {
		who = "the stack and the load users (one process)"
	}
	fmt.Fprintf(w, "CPU: %s used %.1f s, %.2f of the machine's %d cores, %s per request.\n", who, p.CPU.Seconds(),
		p.CPU.Seconds()/p.Elapsed.Seconds(), p.Cores, ms(per))
	fmt.Fprintf(w, "Floor when all %d users wait on the app at once: %d × %s / %d cores = %s mean response time.\n",
		p.Users, p.Users, ms(per), p.Cores, ms(time.Duration(p.Users)*per/time.Duration(p.Cores)))
}

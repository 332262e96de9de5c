package load

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Memory is the resident memory of the stack's processes, grouped by
// program: the process the emulator (and app) run in, the Lambda bootstrap
// processes, PostgreSQL, and anything else under it.
type Memory struct {
	// Err says why it is missing ("not available" off Linux).
	Err    string
	Groups []ProcessGroup
	// RSS and PSS are the totals in KiB. PSS shares pages mapped by
	// several processes (the bootstrap binary, PostgreSQL's shared
	// buffers) between them, so it does not count them twice.
	RSS, PSS int64
}

// ProcessGroup is the processes of one program.
type ProcessGroup struct {
	Name     string
	Count    int
	RSS, PSS int64 // KiB
}

// measureMemory finds the process tree the function processes pids run
// under (their parent is the emulator's process) and reads the memory of
// every process in it. self labels the root as this process.
func measureMemory(pids []int, self bool) Memory {
	if _, err := os.Stat("/proc/self/smaps_rollup"); err != nil {
		return Memory{Err: "not available: no /proc/<pid>/smaps_rollup on this system"}
	}
	root := 0
	if self {
		root = os.Getpid()
	} else if len(pids) > 0 {
		root, _ = procParent(pids[0])
	}
	if root <= 0 {
		return Memory{Err: "not available: no function process is alive to find the stack by"}
	}
	children := processChildren()
	groups := map[string]*ProcessGroup{}
	var m Memory
	var walk func(pid int, depth int)
	walk = func(pid, depth int) {
		rss, pss, err := procMemory(pid)
		if err == nil {
			name := procName(pid)
			if pid == root {
				name += " (emulator + app)"
				if self {
					name = "this process (emulator + app + load users)"
				}
			}
			g := groups[name]
			if g == nil {
				g = &ProcessGroup{Name: name}
				groups[name] = g
			}
			g.Count++
			g.RSS += rss
			g.PSS += pss
			m.RSS += rss
			m.PSS += pss
		}
		if depth < 8 {
			for _, c := range children[pid] {
				walk(c, depth+1)
			}
		}
	}
	walk(root, 0)
	for _, g := range groups {
		m.Groups = append(m.Groups, *g)
	}
	slices.SortFunc(m.Groups, func(a, b ProcessGroup) int { return int(b.RSS - a.RSS) })
	return m
}

// procParent reads a process's parent id from /proc/<pid>/stat, whose
// second field (the command name, in parentheses) may contain spaces.
func procParent(pid int) (int, error) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("stat of %d: unreadable", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, fmt.Errorf("stat of %d: unreadable", pid)
	}
	return strconv.Atoi(f[1])
}

func procName(pid int) string {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

// procMemory reads Rss and Pss (KiB) from /proc/<pid>/smaps_rollup.
func procMemory(pid int) (rss, pss int64, err error) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "Rss":
			rss = n
		case "Pss":
			pss = n
		}
	}
	return rss, pss, sc.Err()
}

func (m Memory) print(w io.Writer) {
	if m.Err != "" {
		fmt.Fprintf(w, "Memory: %s.\n", m.Err)
		return
	}
	fmt.Fprintln(w, "\nMemory at the end (from /proc; PSS splits shared pages between the processes mapping them):")
	rows := [][]string{{"process", "count", "RSS", "PSS"}}
	for _, g := range m.Groups {
		rows = append(rows, []string{g.Name, strconv.Itoa(g.Count), mib(g.RSS), mib(g.PSS)})
	}
	rows = append(rows, []string{"whole stack", "", mib(m.RSS), mib(m.PSS)})
	printTable(w, rows)
}

func mib(kib int64) string { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

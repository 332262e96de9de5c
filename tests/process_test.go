package tests

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// processInfo returns a process's executable path (or name) and its parent's
// pid: from /proc on Linux, from ps where there is no /proc (macOS).
func processInfo(t *testing.T, pid int) (exe string, ppid int) {
	t.Helper()
	if _, err := os.Stat("/proc/self/status"); err == nil {
		exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
		if err != nil {
			t.Fatalf("process %d: %v", pid, err)
		}
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "PPid:"); ok {
				ppid, _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		return exe, ppid
	}
	out, err := exec.Command("ps", "-o", "ppid=,comm=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		t.Fatalf("ps for process %d: %v", pid, err)
	}
	ppidField, comm, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	ppid, _ = strconv.Atoi(ppidField)
	return strings.TrimSpace(comm), ppid
}

package lambda

import (
	"bytes"
	"os"
	"strconv"
)

// peakRSSMB is a process's peak resident set size in MB (VmHWM in
// /proc/<pid>/status, rounded up), or 0 when it cannot be read (the
// process has gone).
func peakRSSMB(pid int) int {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			kb, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(v), []byte("kB")))))
			if err != nil {
				return 0
			}
			return (kb + 1023) / 1024
		}
	}
	return 0
}

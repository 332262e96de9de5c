package emulator_test

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

var (
	maxMemoryRE = regexp.MustCompile(`\tMax Memory Used: (\d+) MB`)
	initRE      = regexp.MustCompile(`\tInit Duration: (\d+\.\d\d) ms`)
)

// reportOf returns the REPORT line of a log tail.
func reportOf(t *testing.T, log string) string {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, "REPORT RequestId: ") {
			return line
		}
	}
	t.Fatalf("no REPORT line in %q", log)
	return ""
}

func maxMemoryUsed(t *testing.T, report string) int {
	t.Helper()
	m := maxMemoryRE.FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no Max Memory Used in %q", report)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestReportLineHasMaxMemoryAndInitDuration(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	createTestFunction(t, c, "report", 10)

	cold := reportOf(t, invoke(t, c, "report", map[string]string{"action": "echo"}).logTail)
	if m := initRE.FindStringSubmatch(cold); m == nil {
		t.Errorf("cold start REPORT has no Init Duration: %q", cold)
	} else if d, _ := strconv.ParseFloat(m[1], 64); d <= 0 || d > 10000 {
		t.Errorf("Init Duration %s ms is not plausible", m[1])
	}
	if runtime.GOOS != "linux" {
		// The peak RSS comes from /proc; elsewhere the line leaves it out.
		t.Log("Max Memory Used is only reported on Linux")
		return
	}
	base := maxMemoryUsed(t, cold)
	if base <= 0 {
		t.Errorf("Max Memory Used %d MB on a cold start", base)
	}

	warm := reportOf(t, invoke(t, c, "report", map[string]any{"action": "alloc", "mb": 64}).logTail)
	if initRE.MatchString(warm) {
		t.Errorf("a warm invocation reports an Init Duration: %q", warm)
	}
	if peak := maxMemoryUsed(t, warm); peak < base+60 {
		t.Errorf("after touching 64 MB, Max Memory Used is %d MB (was %d): it must follow the process's peak RSS", peak, base)
	}
}

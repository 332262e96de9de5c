// Package paralleltest lets the tests of a package that mostly wait (on
// Chromium, Docker, Lambda processes, timeouts) run more at once than
// go test's default of one parallel test per CPU. Only tests import it.
package paralleltest

import (
	"flag"
	"runtime"
	"strconv"
)

// PerCPU sets -parallel to n parallel tests per CPU unless the command
// line gave -parallel. A package's TestMain calls it before m.Run.
func PerCPU(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(n*runtime.GOMAXPROCS(0)))
	}
}

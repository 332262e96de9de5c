package paralleltest

import (
	"flag"
	"runtime"
	"strconv"
	"testing"
)

// The flag is read by m.Run; here the test reads it back after PerCPU.
func TestPerCPUSetsParallelUnlessGiven(t *testing.T) {
	f := flag.Lookup("test.parallel")
	old := f.Value.String()
	t.Cleanup(func() { _ = flag.Set("test.parallel", old) })
	// go test passes -test.parallel only when -parallel was given.
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	PerCPU(3)
	want := strconv.Itoa(3 * runtime.GOMAXPROCS(0))
	if given {
		want = old
	}
	if got := f.Value.String(); got != want {
		t.Errorf("-test.parallel = %s after PerCPU(3), want %s (given on the command line: %v)", got, want, given)
	}
}

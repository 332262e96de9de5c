package emulator_test

import (
	"os"
	"testing"

	"github.com/coolroom/testbed/internal/browsertest"
	"github.com/coolroom/testbed/internal/paralleltest"
)

// TestMain runs four parallel tests per CPU (most wait on Lambda
// processes and Chromium) and stops the Chromium the browser tests share.
func TestMain(m *testing.M) {
	paralleltest.PerCPU(4)
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

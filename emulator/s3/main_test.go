package s3_test

import (
	"os"
	"testing"

	"github.com/coolroom/testbed/internal/browsertest"
)

// TestMain stops the Chromium that the browser tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Stop()
	os.Exit(code)
}

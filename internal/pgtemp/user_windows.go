package pgtemp

import (
	"os/exec"

	"github.com/coolroom/testbed/internal/lifetime"
)

// initdbLocale is unused on Windows, where clusters are not started.
const initdbLocale = "C"

// osUser has no meaning on Windows.
type osUser struct{}

// runAs refuses: throwaway clusters need Linux or macOS (WSL2 on Windows).
func runAs() (*osUser, error) { return nil, lifetime.ErrUnsupported }

func runAsUser(*exec.Cmd, *osUser) {}

func chownTo(string, *osUser) error { return nil }

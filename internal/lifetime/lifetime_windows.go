package lifetime

import (
	"os"
	"os/exec"
	"syscall"
)

// configure refuses: process groups that die with their parent need a Unix.
func configure(*exec.Cmd, syscall.Signal) (int, *os.File, error) { return 0, nil, ErrUnsupported }

func killGroup(p *os.Process, _ int) { _ = p.Kill() }

// alive reports whether a process with this pid exists: on Windows,
// FindProcess opens it and fails when there is none.
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}

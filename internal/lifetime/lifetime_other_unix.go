//go:build unix && !linux

package lifetime

import (
	"os"
	"os/exec"
	"syscall"
)

// configure puts the child in a watchdog's process group: this system has
// no parent-death signal.
func configure(cmd *exec.Cmd, _ syscall.Signal) (pgid int, guard *os.File, err error) {
	return configureWatchdog(cmd)
}

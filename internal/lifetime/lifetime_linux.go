package lifetime

import (
	"os"
	"os/exec"
	"syscall"
)

// forceWatchdog makes Linux use the macOS way (tests set it, so the
// watchdog is proven on the machine CI runs on, not only compiled).
var forceWatchdog bool

// configure gives the child its own process group and Linux's parent-death
// signal, so it dies with this process even on SIGKILL. No watchdog needed;
// the group id will be the child's pid.
func configure(cmd *exec.Cmd, deathSignal syscall.Signal) (pgid int, guard *os.File, err error) {
	if forceWatchdog {
		return configureWatchdog(cmd)
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = deathSignal
	return 0, nil, nil
}

// Package lifetime keeps what a run starts from outliving it: child
// processes run in their own process group and die with this process, and
// temporary directories carry their owner's pid so that the next run can
// sweep the leftovers of one that was killed (SIGKILL, a crash, a closed
// laptop lid) before it could clean up.
//
// Linux has a parent-death signal (Pdeathsig); macOS has none, so there a
// small watchdog shell joins the child's process group and kills the group
// when the pipe from this process reaches end of file, which the kernel
// delivers however this process ends. Windows is not supported for running
// children (use WSL2); the package compiles there so the CLI can say so.
package lifetime

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// ErrUnsupported is returned where running a child process group needs a
// Unix (Linux or macOS).
var ErrUnsupported = errors.New("running local processes (Lambda functions, PostgreSQL) needs Linux or macOS; on Windows use WSL2")

// Group is a started child process in its own process group.
type Group struct {
	cmd  *exec.Cmd
	pgid int
	// guard is the write end of the watchdog's stdin where there is no
	// parent-death signal; closing it kills the group.
	guard *os.File
}

// Start starts cmd as the leader of a new process group that is killed
// when this process dies: with deathSignal through Pdeathsig on Linux, with
// SIGKILL through a watchdog elsewhere. Fields of cmd.SysProcAttr already set
// (a Credential) are kept.
func Start(cmd *exec.Cmd, deathSignal syscall.Signal) (*Group, error) {
	pgid, guard, err := configure(cmd, deathSignal)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		if guard != nil {
			_ = guard.Close() // the watchdog ends its own, now empty, group
		}
		return nil, err
	}
	if pgid == 0 {
		pgid = cmd.Process.Pid
	}
	return &Group{cmd: cmd, pgid: pgid, guard: guard}, nil
}

// Pid is the child's process id.
func (g *Group) Pid() int { return g.cmd.Process.Pid }

// Pgid is the id of the child's process group: the child's own pid on
// Linux, the watchdog's elsewhere.
func (g *Group) Pgid() int { return g.pgid }

// Signal sends sig to the child only (PostgreSQL's shutdown modes).
func (g *Group) Signal(sig os.Signal) error { return g.cmd.Process.Signal(sig) }

// Release ends the watchdog once the child has exited on its own and been
// waited for; killing the group then could hit a reused process id.
func (g *Group) Release() {
	if g.guard != nil {
		_ = g.guard.Close()
	}
}

// Kill kills every process of the group: the child, whatever it started
// and the watchdog.
func (g *Group) Kill() {
	killGroup(g.cmd.Process, g.pgid)
	if g.guard != nil {
		_ = g.guard.Close()
	}
}

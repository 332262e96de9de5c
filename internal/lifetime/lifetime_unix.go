//go:build unix

package lifetime

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// configureWatchdog starts a watchdog and puts the child in its process
// group, standing in for a parent-death signal.
func configureWatchdog(cmd *exec.Cmd) (pgid int, guard *os.File, err error) {
	pgid, guard, err = startWatchdog()
	if err != nil {
		return 0, nil, err
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pgid = pgid
	return pgid, guard, nil
}

func killGroup(_ *os.Process, pgid int) {
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// startWatchdog starts a shell leading a new process group that waits for
// end of file on its stdin and then kills its whole group, itself included.
// This process holds the only write end, so the kernel closes it whenever
// this process ends, however it ends (SIGKILL included). Children started
// into the group are killed with it. Being in its own group, the watchdog is
// spared terminal signals (Ctrl-C goes to the foreground group).
func startWatchdog() (pgid int, guard *os.File, err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	// kill 0 is POSIX for "my process group"; dash, bash and zsh take it.
	cmd := exec.Command("/bin/sh", "-c", "read _; kill -s KILL 0", "coolroom-watchdog")
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return 0, nil, fmt.Errorf("start the process watchdog: %w", err)
	}
	// Reap it whenever it ends, so it never lingers as a zombie.
	go func() { _ = cmd.Wait() }()
	return cmd.Process.Pid, w, nil
}

// alive reports whether a process with this pid exists (EPERM: it does,
// under another user).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || err == syscall.EPERM
}

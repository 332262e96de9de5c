//go:build unix

package pgtemp

import (
	"os"
	"os/exec"
	"syscall"
)

// osUser is who PostgreSQL runs as; nil is the current user.
type osUser = syscall.Credential

// runAsUser makes cmd run as u (nil: the current user).
func runAsUser(cmd *exec.Cmd, u *osUser) {
	if u == nil {
		return
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = u
}

// chownTo hands dir to u, so PostgreSQL may write in it.
func chownTo(dir string, u *osUser) error {
	if u == nil {
		return nil
	}
	return os.Chown(dir, int(u.Uid), int(u.Gid))
}

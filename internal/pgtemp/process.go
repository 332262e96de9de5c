package pgtemp

import (
	"bytes"
	"os/exec"
	"syscall"

	"github.com/coolroom/testbed/internal/lifetime"
)

// runToEnd runs cmd to the end in a process group that dies with this
// process, and returns its combined output.
func runToEnd(cmd *exec.Cmd) ([]byte, error) {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	g, err := lifetime.Start(cmd, syscall.SIGKILL)
	if err != nil {
		return nil, err
	}
	err = cmd.Wait()
	g.Release()
	return out.Bytes(), err
}

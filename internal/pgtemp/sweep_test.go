//go:build unix

package pgtemp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMain doubles as a helper `coolroom up` stand-in: with PGTEMP_HELPER
// set, the test binary starts a cluster, prints "pid dir" and either waits
// to be killed ("wait") or stops it at once ("start-stop").
func TestMain(m *testing.M) {
	if mode := os.Getenv("PGTEMP_HELPER"); mode != "" {
		c, err := Start(context.Background(), Options{})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println(c.PID(), c.Dir())
		if mode == "start-stop" {
			if err := c.Stop(); err != nil {
				fmt.Println("error", err)
				os.Exit(1)
			}
			return
		}
		time.Sleep(time.Hour)
		return
	}
	os.Exit(m.Run())
}

func startHelper(t *testing.T, mode string) (cmd *exec.Cmd, pid int, dir string) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PGTEMP_HELPER="+mode)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fscan(bufio.NewReader(out), &pid, &dir); err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper (%s) printed no pid and dir: %v", mode, err)
	}
	return cmd, pid, dir
}

// gone reports whether pid has exited (a zombie waiting for whoever
// inherited it counts as exited).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	out, err := exec.Command("ps", "-o", "stat=", "-p", fmt.Sprint(pid)).Output()
	return err != nil || len(out) > 0 && out[0] == 'Z'
}

// A run killed with SIGKILL takes its PostgreSQL with it, and the next
// run's Start removes the cluster directory it left.
func TestKilledRunLeavesNoServerAndNextStartSweepsItsDir(t *testing.T) {
	t.Parallel()
	needBinaries(t)
	killed, pid, dir := startHelper(t, "wait")
	_ = killed.Process.Kill()
	_ = killed.Wait()
	deadline := time.Now().Add(15 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("postgres (pid %d) still runs 15 s after its owner was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the killed run's dir %s should still be there before the next start: %v", dir, err)
	}

	next, _, nextDir := startHelper(t, "start-stop")
	if err := next.Wait(); err != nil {
		t.Fatalf("next run: %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the next Start left the killed run's dir %s (err=%v)", dir, err)
	}
	if _, err := os.Stat(nextDir); !os.IsNotExist(err) {
		t.Errorf("the next run's own dir %s outlived its Stop (err=%v)", nextDir, err)
	}
}

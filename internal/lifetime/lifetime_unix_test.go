//go:build unix

package lifetime

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain doubles as the helper process that the tests kill: the test
// binary re-executed with LIFETIME_HELPER set.
func TestMain(m *testing.M) {
	if mode := os.Getenv("LIFETIME_HELPER"); mode != "" {
		helper(mode)
		return
	}
	os.Exit(m.Run())
}

// helper starts a child that starts a grandchild, makes an owned temp dir,
// prints "childPid pgid grandchildPid dir" and waits to be killed.
func helper(mode string) {
	useWatchdog(mode == "watchdog")
	g, grandchild := startFamily(os.Stdout.WriteString)
	dir, err := tempDir(os.Getenv("LIFETIME_PARENT"), "lifetime-test-")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(g.Pid(), g.Pgid(), grandchild, dir)
	time.Sleep(time.Hour)
}

// startFamily starts a shell (the child) that starts a sleep (the
// grandchild) and returns the group and the grandchild's pid.
func startFamily(fail func(string) (int, error)) (*Group, int) {
	cmd := exec.Command("/bin/sh", "-c", "sleep 300 & echo $!; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		_, _ = fail(err.Error())
		os.Exit(1)
	}
	g, err := Start(cmd, syscall.SIGKILL)
	if err != nil {
		_, _ = fail("error " + err.Error() + "\n")
		os.Exit(1)
	}
	var grandchild int
	if _, err := fmt.Fscan(bufio.NewReader(out), &grandchild); err != nil {
		_, _ = fail("error reading the grandchild's pid\n")
		os.Exit(1)
	}
	return g, grandchild
}

// modes are the ways children die with their parent on this system.
func modes() []string {
	if runtime.GOOS == "linux" {
		return []string{"pdeathsig", "watchdog"}
	}
	return []string{"watchdog"}
}

// running reports whether pid is a live process (a zombie is dead: it
// waits only to be reaped by whoever inherited it).
func running(pid int) bool {
	if !alive(pid) {
		return false
	}
	out, err := exec.Command("ps", "-o", "stat=", "-p", fmt.Sprint(pid)).Output()
	if err != nil {
		return false // ps exits 1 when the process is gone
	}
	return !strings.HasPrefix(strings.TrimSpace(string(out)), "Z")
}

func waitGone(t *testing.T, what string, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("%s (pid %d) still runs 5 s later", what, pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestKilledParentLeavesNoProcessAndItsDirIsSwept(t *testing.T) {
	for _, mode := range modes() {
		t.Run(mode, func(t *testing.T) {
			parent := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "LIFETIME_HELPER="+mode, "LIFETIME_PARENT="+parent)
			cmd.Stderr = os.Stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var child, pgid, grandchild int
			var dir string
			if _, err := fmt.Fscan(bufio.NewReader(out), &child, &pgid, &grandchild, &dir); err != nil {
				_ = cmd.Process.Kill()
				t.Fatalf("helper output: %v", err)
			}
			for _, pid := range []int{child, grandchild, pgid} {
				if !running(pid) {
					t.Fatalf("pid %d is not running before the parent is killed", pid)
				}
			}
			if mode == "watchdog" && pgid == child {
				t.Fatalf("watchdog mode: the group id %d is the child's pid, want the watchdog's", pgid)
			}
			if got := Sweep(parent, "lifetime-test-"); len(got) != 0 {
				t.Fatalf("Sweep removed %v while its owner runs", got)
			}

			_ = cmd.Process.Kill() // SIGKILL: no cleanup code runs
			_ = cmd.Wait()
			waitGone(t, "the child", child)
			if mode == "watchdog" {
				// The watchdog kills the whole group; Pdeathsig reaches only
				// the child itself (a limit of Linux's signal, kept there
				// because it costs nothing per start).
				waitGone(t, "the grandchild", grandchild)
				waitGone(t, "the watchdog", pgid)
			} else {
				_ = syscall.Kill(-pgid, syscall.SIGKILL)
			}
			got := Sweep(parent, "lifetime-test-")
			if len(got) != 1 || got[0] != dir {
				t.Fatalf("Sweep removed %v, want [%s]", got, dir)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("%s still exists after the sweep (err=%v)", dir, err)
			}
		})
	}
}

func TestKillEndsTheWholeGroup(t *testing.T) {
	for _, mode := range modes() {
		t.Run(mode, func(t *testing.T) {
			useWatchdog(mode == "watchdog")
			defer useWatchdog(false)
			g, grandchild := startFamily(func(s string) (int, error) { t.Fatal(s); return 0, nil })
			g.Kill()
			_ = g.cmd.Wait()
			waitGone(t, "the grandchild", grandchild)
			if mode == "watchdog" {
				waitGone(t, "the watchdog", g.Pgid())
			}
		})
	}
}

func TestSweepRemovesOnlyDirsOfDeadOwners(t *testing.T) {
	parent := t.TempDir()
	done := exec.Command("true")
	if err := done.Run(); err != nil {
		t.Fatal(err)
	}
	deadPid := done.Process.Pid
	mk := func(name, owner string) string {
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	dead := mk("coolroom-x-dead", fmt.Sprint(deadPid))
	if err := os.MkdirAll(filepath.Join(dead, "fn", "1"), 0o755); err != nil {
		t.Fatal(err)
	}
	live := mk("coolroom-x-live", fmt.Sprint(os.Getppid()))
	ownerless := mk("coolroom-x-ownerless", "")
	garbled := mk("coolroom-x-garbled", "not a pid")
	other := mk("other-dead", fmt.Sprint(deadPid))

	got := Sweep(parent, "coolroom-x-")
	if len(got) != 1 || got[0] != dead {
		t.Fatalf("Sweep removed %v, want only %s", got, dead)
	}
	for _, keep := range []string{live, ownerless, garbled, other} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("%s was removed: %v", keep, err)
		}
	}
}

func TestTempDirRecordsItsOwner(t *testing.T) {
	dir, err := tempDir(t.TempDir(), "coolroom-y-")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ownerFile))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(data)); got != fmt.Sprint(os.Getpid()) {
		t.Fatalf("owner file holds %q, want this process's pid %d", got, os.Getpid())
	}
}

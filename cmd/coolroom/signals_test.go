//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the CLI itself when COOLROOM_TEST_RUN_CLI is set, so the
// tests can start it as a real process and signal it.
func TestMain(m *testing.M) {
	if os.Getenv("COOLROOM_TEST_RUN_CLI") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// startEmulatorCLI starts `coolroom emulator` with its temp dirs in tmp and
// returns it once it listens, with its Lambda work dir.
func startEmulatorCLI(t *testing.T, tmp string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "emulator")
	cmd.Env = append(os.Environ(), "COOLROOM_TEST_RUN_CLI=1", "TMPDIR="+tmp, "COOLROOM_EMULATOR_ADDR=127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "Emulator") {
		_ = cmd.Process.Kill()
		t.Fatalf("first line %q (%v)", line, err)
	}
	before, _ := filepath.Glob(filepath.Join(tmp, "coolroom-lambda-*"))
	for _, d := range before {
		owner, _ := os.ReadFile(filepath.Join(d, ".coolroom-owner"))
		if strings.TrimSpace(string(owner)) == strconv.Itoa(cmd.Process.Pid) {
			return cmd, d
		}
	}
	_ = cmd.Process.Kill()
	t.Fatalf("no Lambda work dir owned by pid %d among %v", cmd.Process.Pid, before)
	return nil, ""
}

// A killed emulator cannot clean up; the next one removes its work dir.
func TestNextStartSweepsAKilledEmulatorsWorkDir(t *testing.T) {
	tmp := t.TempDir()
	killed, stale := startEmulatorCLI(t, tmp)
	_ = killed.Process.Kill() // SIGKILL: no shutdown code runs
	_ = killed.Wait()
	if _, err := os.Stat(stale); err != nil {
		t.Fatalf("the killed emulator's dir %s should remain until the next start: %v", stale, err)
	}
	next, own := startEmulatorCLI(t, tmp)
	defer func() {
		_ = next.Process.Signal(syscall.SIGTERM)
		_ = next.Wait()
	}()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the next start left the killed emulator's work dir %s (err=%v)", stale, err)
	}
	if _, err := os.Stat(own); err != nil {
		t.Errorf("the running emulator's own dir %s: %v", own, err)
	}
}

// Closing the terminal sends SIGHUP (the usual way a Mac user ends `up`):
// it must shut down as Ctrl-C does, removing the Lambda work dir, rather
// than die and leave it behind.
func TestStopSignalsShutDownCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, dir := startEmulatorCLI(t, t.TempDir())
			_ = cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("after %v: %v, want a clean exit", sig, err)
				}
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 15 s after %v", sig)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("the Lambda work dir %s outlived the %v shutdown (err=%v)", dir, sig, err)
			}
		})
	}
}

//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the CLI itself when COOLROOM_TEST_RUN_CLI is set, so the
// tests can start it as a real process and signal it.
func TestMain(m *testing.M) {
	if os.Getenv("COOLROOM_TEST_RUN_CLI") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// Closing the terminal sends SIGHUP (the usual way a Mac user ends `up`):
// it must shut down as Ctrl-C does, removing the Lambda work dir, rather
// than die and leave it behind.
func TestStopSignalsShutDownCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
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
			dirs, _ := filepath.Glob(filepath.Join(tmp, "coolroom-lambda-*"))
			if len(dirs) != 1 {
				_ = cmd.Process.Kill()
				t.Fatalf("work dirs while running: %v, want one", dirs)
			}
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
			if _, err := os.Stat(dirs[0]); !os.IsNotExist(err) {
				t.Errorf("the Lambda work dir %s outlived the %v shutdown (err=%v)", dirs[0], sig, err)
			}
		})
	}
}

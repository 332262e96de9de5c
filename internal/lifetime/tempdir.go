package lifetime

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// ownerFile, inside a directory made by TempDir, holds the pid of the
// process that made it.
const ownerFile = ".coolroom-owner"

var swept sync.Map // prefix → struct{}: each prefix is swept once per process

// TempDir makes a new directory in the system's temporary directory named
// prefix + random, recording this process as its owner. The first call for
// a prefix first sweeps the directories with that prefix whose owner is
// gone: the leftovers of a run that was killed before it could clean up.
// The caller removes the directory when done, as with os.MkdirTemp.
func TempDir(prefix string) (string, error) {
	parent := os.TempDir()
	if _, done := swept.LoadOrStore(prefix, struct{}{}); !done {
		Sweep(parent, prefix)
	}
	return tempDir(parent, prefix)
}

func tempDir(parent, prefix string) (string, error) {
	dir, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("record the owner of %s: %w", dir, err)
	}
	return dir, nil
}

// Sweep removes the directories in parent named prefix* whose recorded
// owner process no longer runs, and returns them. Directories without an
// owner file are left alone: another process may be between creating one
// and recording itself, and a directory this package did not make is not
// ours to remove. A live owner's directory stays, even if the pid was
// reused by another program: sweeping too little is the safe mistake.
func Sweep(parent, prefix string) []string {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || pid == os.Getpid() || alive(pid) {
			continue
		}
		if os.RemoveAll(dir) == nil {
			removed = append(removed, dir)
		}
	}
	return removed
}

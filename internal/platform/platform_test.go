package platform

import (
	"strings"
	"testing"
)

func TestNote(t *testing.T) {
	for _, tc := range []struct{ goos, goarch, want string }{
		{"darwin", "arm64", "built for darwin/arm64 to run natively; AWS and containers get linux/arm64"},
		{"darwin", "amd64", "built for darwin/amd64 to run natively; AWS and containers get linux/amd64"},
		{"linux", "amd64", "built for linux/amd64, the platform AWS runs it on"},
	} {
		if got := Note(tc.goos, tc.goarch); got != tc.want {
			t.Errorf("Note(%s, %s) = %q, want %q", tc.goos, tc.goarch, got, tc.want)
		}
	}
}

func TestLocalRunError(t *testing.T) {
	for _, goos := range []string{"linux", "darwin"} {
		if err := LocalRunError(goos); err != nil {
			t.Errorf("%s: %v", goos, err)
		}
	}
	err := LocalRunError("windows")
	if err == nil || !strings.Contains(err.Error(), "not supported on Windows") || !strings.Contains(err.Error(), "WSL2") {
		t.Errorf("windows: %v, want a clear not-supported error naming WSL2", err)
	}
	if err := LocalRunError("plan9"); err == nil {
		t.Error("plan9: no error")
	}
}

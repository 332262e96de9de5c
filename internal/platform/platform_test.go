package platform

import "testing"

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

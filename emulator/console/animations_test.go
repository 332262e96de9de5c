package console

import (
	"slices"
	"testing"

	"github.com/coolroom/testbed/internal/csscheck"
)

// TestConsoleAnimatesOnlyTheLiveDot: the console stays open for a whole
// class or a load test and its content changes every second, so the one
// animation it has is the live dot's three pulses when the stream
// connects. The dot pulsing forever, and each new trace fading in, kept
// Chromium drawing every frame (a quarter and half a core).
func TestConsoleAnimatesOnlyTheLiveDot(t *testing.T) {
	got, err := csscheck.Animations(assets)
	if err != nil {
		t.Fatal(err)
	}
	want := []csscheck.Animation{{File: "assets/console.css", Selector: ".pill.on::before", Value: "pulse 2s 3"}}
	if !slices.Equal(got, want) {
		t.Errorf("the console's animations are %+v; want only %+v", got, want)
	}
}

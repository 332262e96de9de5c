package csscheck

import (
	"testing"
	"testing/fstest"
)

func TestEndlessAnimationsAreFound(t *testing.T) {
	fsys := fstest.MapFS{
		"a.css":     {Data: []byte(".dot { animation: pulse 2s infinite; }\n.x { animation-iteration-count: INFINITE }")},
		"b.css":     {Data: []byte(".dot { animation: pulse 2s 3; } .fresh { animation: fresh 2.4s ease-out; }")},
		"c.txt":     {Data: []byte("animation: pulse 2s infinite;")},
		"d/e.css":   {Data: []byte(".spin{animation:spin 1s linear infinite}")},
		"f/ok.css":  {Data: []byte("/* no animations */")},
		"g/big.css": {Data: []byte(".infinite-scroll { animation: none; }")},
	}
	got, err := EndlessAnimations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.css: animation: pulse 2s infinite", "a.css: animation-iteration-count: INFINITE", "d/e.css: animation:spin 1s linear infinite"}
	if len(got) != len(want) {
		t.Fatalf("found %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("found[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

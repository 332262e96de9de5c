package csscheck

import (
	"slices"
	"testing"
	"testing/fstest"
)

func TestAnimationsAreFound(t *testing.T) {
	fsys := fstest.MapFS{
		"a.css": {Data: []byte(`/* .x { animation: commented 1s infinite; } */
.dot { color: red; animation: pulse 2s infinite; }
.x { animation-iteration-count: INFINITE }
@keyframes pulse { 50% { opacity: .35; } }`)},
		"b.css":     {Data: []byte(".dot { animation: pulse 2s 3; } .fresh { background: blue }")},
		"c.txt":     {Data: []byte(".y { animation: pulse 2s infinite; }")},
		"d/e.css":   {Data: []byte(".spin{animation:spin 1s linear infinite}")},
		"g/big.css": {Data: []byte(".infinite-scroll { animation-name: none; transition: opacity 1s; }")},
	}
	got, err := Animations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []Animation{
		{"a.css", ".dot", "pulse 2s infinite"},
		{"a.css", ".x", "INFINITE"},
		{"b.css", ".dot", "pulse 2s 3"},
		{"d/e.css", ".spin", "spin 1s linear infinite"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("found %+v\nwant  %+v", got, want)
	}
	var endless []bool
	for _, a := range got {
		endless = append(endless, a.Endless())
	}
	if !slices.Equal(endless, []bool{true, true, false, true}) {
		t.Errorf("endless = %v", endless)
	}
}

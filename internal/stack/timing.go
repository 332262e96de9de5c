package stack

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Step is one part of Start: when it began (since Start was called) and
// how long it took. Steps that run side by side overlap.
type Step struct {
	Name  string
	At    time.Duration
	Took  time.Duration
	Notes string
}

// timeline collects the steps of Start from several goroutines.
type timeline struct {
	mu    sync.Mutex
	start time.Time
	steps []Step
}

// add records a step that began at begin and ends now.
func (t *timeline) add(name string, begin time.Time, notes string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.steps = append(t.steps, Step{Name: name, At: begin.Sub(t.start), Took: time.Since(begin), Notes: notes})
}

func (t *timeline) list() []Step {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Step(nil), t.steps...)
}

// Steps lists the parts of Start in the order they finished, with their
// times: what `coolroom up` prints with its first 200.
func (s *Stack) Steps() []Step { return s.timeline.list() }

// FormatSteps renders steps as one line: "name +start took (notes); …".
func FormatSteps(steps []Step) string {
	parts := make([]string, 0, len(steps))
	for _, st := range steps {
		p := fmt.Sprintf("%s +%s %s", st.Name, ms(st.At), ms(st.Took))
		if st.Notes != "" {
			p += " (" + st.Notes + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%dms", d.Round(time.Millisecond).Milliseconds()) }

package console

import "time"

// rateWindow is how many whole seconds the request rate averages over.
const rateWindow = 5

// rateCounter counts events per wall-clock second over the last few
// seconds, in constant memory, for the console's requests-per-second
// figure. Callers hold the recorder's mutex.
type rateCounter struct {
	secs   [rateWindow + 1]int64 // the second each slot counts
	counts [rateWindow + 1]int
}

func (c *rateCounter) add(t time.Time) {
	s := t.Unix()
	i := int(s % int64(len(c.secs)))
	if c.secs[i] != s {
		c.secs[i], c.counts[i] = s, 0
	}
	c.counts[i]++
}

// perSecond is the mean rate over the rateWindow whole seconds before
// the one now is in (the current second is still filling).
func (c *rateCounter) perSecond(now time.Time) float64 {
	n := 0
	for s := now.Unix() - rateWindow; s < now.Unix(); s++ {
		if i := int(s % int64(len(c.secs))); c.secs[i] == s {
			n += c.counts[i]
		}
	}
	return float64(n) / rateWindow
}

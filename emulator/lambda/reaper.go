package lambda

import "time"

// reapIdle stops instances that have been idle longer than the idle
// timeout, as AWS retires execution environments nobody calls; the next
// invocation is then a cold start.
func (s *Service) reapIdle(now time.Time) int {
	s.mu.Lock()
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns[:len(fns):len(fns)] { // published versions have instances too
		fns = append(fns, fn.publishedVersions()...)
	}
	reaped := 0
	for _, fn := range fns {
		fn.mu.Lock()
		var keep, stale []*instance
		for _, in := range fn.idle {
			if now.Sub(in.lastUsed()) >= s.idleTimeout {
				stale = append(stale, in)
			} else {
				keep = append(keep, in)
			}
		}
		fn.idle = keep
		fn.mu.Unlock()
		for _, in := range stale {
			in.stop()
			reaped++
		}
	}
	return reaped
}

// reaper runs reapIdle until the service closes.
func (s *Service) reaper() {
	every := s.idleTimeout / 4
	if every > 30*time.Second {
		every = 30 * time.Second
	}
	if every < 10*time.Millisecond {
		every = 10 * time.Millisecond
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case now := <-t.C:
			if n := s.reapIdle(now); n > 0 {
				s.log.Debug("reaped idle lambda instances", "count", n)
			}
		}
	}
}

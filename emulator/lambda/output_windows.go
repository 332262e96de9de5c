package lambda

import "github.com/coolroom/testbed/internal/lifetime"

// rawRead is never reached on Windows: functions cannot be started there
// (lifetime.Start refuses), so the pipe has no writer. It reports the reason.
func rawRead(int, []byte) (int, error) { return 0, lifetime.ErrUnsupported }

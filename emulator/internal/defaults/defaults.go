// Package defaults holds what the emulator's services use when their
// options leave it out: LocalStack's account id and region, and a logger
// that discards.
package defaults

import "log/slog"

const (
	// AccountID appears in ARNs and Lambda events (LocalStack's account).
	AccountID = "000000000000"
	// Region is used when neither the options nor a request name one.
	Region = "us-east-1"
)

// Logger returns l, or a logger that discards when l is nil.
func Logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

package stack

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/internal/classroom"
)

// SeedClassroom creates the demo classroom `coolroom up` starts with
// through the deployed data API, like any client (so the console shows
// it), with avatars in the avatar bucket. A database that already has
// rooms is left alone (Result.Skipped).
func (s *Stack) SeedClassroom(ctx context.Context, log *slog.Logger) (*classroom.Result, error) {
	if log == nil {
		log = s.log
	}
	start := time.Now()
	res, err := classroom.Seed(ctx, classroom.Options{
		Logger:       log.With("component", "classroom"),
		Data:         dataapi.New(s.Deploy.InvokeURL, nil),
		S3:           S3Client(s.AWS, s.EmulatorURL),
		AvatarBucket: s.avatarBucket,
	})
	if err != nil {
		return nil, fmt.Errorf("demo classroom (start bare with --empty): %w", err)
	}
	if !res.Skipped {
		log.Info("demo classroom ready", "took", time.Since(start).Round(time.Millisecond))
	}
	return res, nil
}

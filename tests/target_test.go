package tests

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/containers"
	"github.com/coolroom/testbed/internal/pgtemp"
	"github.com/coolroom/testbed/internal/stack"
)

// One suite, three places: COOLROOM_E2E_TARGET selects where the AWS side
// runs. emulator (default) needs PostgreSQL binaries or DATABASE_URL;
// localstack needs a Docker daemon (testcontainers-go starts LocalStack
// 4.14 and PostgreSQL); aws needs credentials, AWS_REGION and a DATABASE_URL
// the Lambda can reach, and removes what it deployed at the end.

// suiteConfig is the suite's configuration, read from the environment
// once through internal/config (the one place that reads it); a bad value
// is reported by applyTarget, which every stack start calls.
var suiteConfig = sync.OnceValues(func() (config.E2E, error) { return config.LoadE2E(os.LookupEnv) })

// applyTarget fills in the target-specific options from the suite's
// configuration (internal/config), or returns why the suite cannot run
// here (a skip), or a configuration error.
func applyTarget(opts *stack.Options) (skip string, err error) {
	e2e, err := suiteConfig()
	if err != nil {
		return "", err
	}
	target, err := stack.ParseTarget(e2e.Target)
	if err != nil {
		return "", fmt.Errorf("COOLROOM_E2E_TARGET: %w", err)
	}
	opts.Target = target
	switch target {
	case stack.TargetEmulator:
		if opts.DatabaseURL == "" {
			if _, err := pgtemp.FindBinDir(); errors.Is(err, pgtemp.ErrNoBinaries) {
				return fmt.Sprintf("end-to-end tests need PostgreSQL: %v", err), nil
			}
		}
	case stack.TargetLocalStack:
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		opts.LocalStackImage, opts.LocalStackAuthToken, opts.PostgresImage = e2e.LocalStackImage, e2e.LocalStackAuthToken, e2e.PostgresImage
		// Without a registry (our CI) LocalStack cannot be pulled: the
		// suite skips saying so; COOLROOM_LOCALSTACK_IMAGE=coolroom/emulator:latest
		// runs it on our emulator image instead.
		if err := containers.Ready(ctx, opts.LocalStackImage, opts.PostgresImage); err != nil {
			return fmt.Sprintf("localstack target: %v", err), nil
		}
		opts.DatabaseURL = "" // PostgreSQL runs beside LocalStack
	case stack.TargetAWS:
		if opts.DatabaseURL == "" {
			return "", errors.New("the aws target needs DATABASE_URL: a PostgreSQL the Lambda function can reach")
		}
		cfg, err := stack.AWSConfig(context.Background(), config.TargetAWS, e2e.Region)
		if err != nil {
			return "", fmt.Errorf("aws target: %w", err)
		}
		opts.AWS, opts.Region = &cfg, cfg.Region
		// Namespace every resource by a run id, so runs never collide.
		opts.RunID = fmt.Sprintf("%x", time.Now().UnixNano())
	}
	return "", nil
}

// endpoint is the SDK endpoint override for the stack's AWS side: nil on
// real AWS.
func endpoint(st *stack.Stack) *string {
	if st.EmulatorURL == "" {
		return nil
	}
	return aws.String(st.EmulatorURL)
}

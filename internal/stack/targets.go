package stack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"time"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/containers"
	"github.com/coolroom/testbed/internal/pgtemp"
)

// Target is where the AWS side of a stack runs. The same deployer, app and
// tests run against each; only the endpoints differ.
type Target string

// lambdaGOOS is the OS the Lambda is built for: the embedded emulator
// executes it natively, so the host's; LocalStack (a Linux container) and
// AWS run Linux.
func (t Target) lambdaGOOS() string {
	if t == TargetEmulator {
		return runtime.GOOS
	}
	return "linux"
}

// The targets.
const (
	// TargetEmulator runs our emulator in-process and PostgreSQL from the
	// local binaries (or DATABASE_URL, or a container when only Docker exists).
	TargetEmulator Target = config.TargetEmulator
	// TargetLocalStack runs LocalStack and PostgreSQL in Docker through
	// testcontainers-go; the Lambda runs in LocalStack's own container.
	TargetLocalStack Target = config.TargetLocalStack
	// TargetAWS uses real AWS by the standard credential chain; DATABASE_URL
	// must be a PostgreSQL the function can reach. Resources are destroyed
	// on Close.
	TargetAWS Target = config.TargetAWS
)

// ParseTarget checks a target name ("" means the emulator).
func ParseTarget(name string) (Target, error) {
	if name == "" {
		return TargetEmulator, nil
	}
	if err := config.CheckTargetName(name); err != nil {
		return "", err
	}
	return Target(name), nil
}

// startAWSSide starts (or, for AWS, just names) the AWS endpoint and
// PostgreSQL. It returns the database URL the Lambda function must use,
// which differs from s.DatabaseURL when the function runs in a container.
func (s *Stack) startAWSSide(ctx context.Context, opts Options) (lambdaDB string, err error) {
	switch s.Target {
	case TargetLocalStack:
		s.log.Info("starting LocalStack and PostgreSQL in Docker (testcontainers)", "image", opts.LocalStackImage)
		ls, err := containers.StartLocalStack(ctx, containers.LocalStackOptions{
			Image: opts.LocalStackImage, AuthToken: opts.LocalStackAuthToken, PostgresImage: opts.PostgresImage,
		})
		if err != nil {
			return "", err
		}
		s.localstack = ls
		s.EmulatorURL = ls.Endpoint
		s.DatabaseURL = ls.Postgres.HostURL
		s.log.Info("LocalStack ready", "endpoint", ls.Endpoint)
		return ls.Postgres.NetworkURL, nil
	case TargetAWS:
		if opts.DatabaseURL == "" {
			return "", errors.New("the aws target needs DATABASE_URL: a PostgreSQL the Lambda function can reach")
		}
		s.DatabaseURL = opts.DatabaseURL
		return s.DatabaseURL, nil
	}
	emu, err := emulator.New(emulator.Config{Logger: s.log.With("component", "emulator"), Region: opts.Region, Guard: opts.EmulatorGuard})
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", opts.EmulatorAddr)
	if err != nil {
		return "", fmt.Errorf("emulator: listen on %s: %w (is LocalStack or another emulator already running there?)", opts.EmulatorAddr, err)
	}
	s.Emulator = emu
	s.EmulatorURL = "http://" + ln.Addr().String()
	s.emuErr = make(chan error, 1)
	go func() { s.emuErr <- emu.Serve(ln) }()
	s.log.Info("emulator listening (S3, Lambda, API Gateway)", "url", s.EmulatorURL, "health", s.EmulatorURL+"/_localstack/health")
	return s.startPostgres(ctx, opts)
}

// startPostgres uses DATABASE_URL, else the local PostgreSQL binaries, else
// a PostgreSQL container when Docker is there, else says what to install.
func (s *Stack) startPostgres(ctx context.Context, opts Options) (string, error) {
	if opts.DatabaseURL != "" {
		s.log.Info("using PostgreSQL from DATABASE_URL")
		s.DatabaseURL = opts.DatabaseURL
		return s.DatabaseURL, nil
	}
	_, err := pgtemp.FindBinDir()
	if err == nil {
		return s.startPgtemp(ctx)
	}
	if !errors.Is(err, pgtemp.ErrNoBinaries) {
		return "", err
	}
	if dockerErr := containers.Available(ctx); dockerErr != nil {
		return "", fmt.Errorf("no PostgreSQL: install the server binaries (Debian: apt-get install -y postgresql), set DATABASE_URL, or start Docker (%v)", dockerErr)
	}
	s.log.Info("no local PostgreSQL binaries: starting a PostgreSQL container")
	c, err := containers.StartPostgres(ctx, opts.PostgresImage, nil)
	if err != nil {
		return "", err
	}
	s.pgContainer = c
	s.DatabaseURL = c.HostURL
	return s.DatabaseURL, nil
}

// startPgtemp starts a throwaway PostgreSQL in the background on a port
// chosen now, so its URL can go into the function's configuration while
// the server starts; waitPostgres waits for it.
func (s *Stack) startPgtemp(ctx context.Context) (string, error) {
	port, err := pgtemp.FreePort()
	if err != nil {
		return "", err
	}
	s.DatabaseURL = pgtemp.DatabaseURL(port, "")
	s.pgStarting = make(chan error, 1)
	go func() {
		begin := time.Now()
		pg, err := pgtemp.Start(ctx, pgtemp.Options{Logger: s.log.With("component", "postgres"), Port: port})
		if err == nil {
			tm := pg.Timings()
			how := "template copy " + ms(tm.Template)
			if pg.FromSpare() {
				how = "spare data dir " + ms(tm.Template)
			}
			if tm.Initdb > 0 {
				how = "initdb " + ms(tm.Initdb)
			}
			s.timeline.add("postgres", begin, fmt.Sprintf("%s, start %s, database %s", how, ms(tm.Serve), ms(tm.NameDatabase)))
		}
		s.Postgres = pg // read only after waitPostgres
		s.pgStarting <- err
	}()
	return s.DatabaseURL, nil
}

// waitPostgres waits for the PostgreSQL started by startPgtemp, if any,
// and returns its error; later calls return the same.
func (s *Stack) waitPostgres() error {
	if s.pgStarting != nil {
		s.pgErr = <-s.pgStarting
		s.pgStarting = nil
	}
	return s.pgErr
}

// stopAWSSide undoes startAWSSide (the emulator is stopped by Close).
func (s *Stack) stopAWSSide(ctx context.Context) error {
	var errs []error
	_ = s.waitPostgres() // a failed start stopped its own cluster
	if s.Postgres != nil {
		errs = append(errs, s.Postgres.Stop())
	}
	if s.pgContainer != nil {
		errs = append(errs, s.pgContainer.Stop())
	}
	if s.localstack != nil {
		errs = append(errs, s.localstack.Stop(ctx))
	}
	return errors.Join(errs...)
}

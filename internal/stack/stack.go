// Package stack starts the whole Cool Room on one machine: the emulator,
// PostgreSQL, the deployed data service and the web app. `coolroom up` and
// the end-to-end tests use it, so both run the same system.
package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/emulator/console"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/containers"
	"github.com/coolroom/testbed/internal/httpserver"
	"github.com/coolroom/testbed/internal/pgtemp"
	"github.com/coolroom/testbed/internal/platform"
)

// Options configure a stack. Addresses may use port 0 for a free port.
type Options struct {
	Logger *slog.Logger
	// EmulatorAddr and AppAddr are the listen addresses.
	EmulatorAddr string
	AppAddr      string
	// DatabaseURL selects an existing PostgreSQL; empty starts a throwaway one.
	DatabaseURL string
	// SourceDir is the module root the Lambda is built from.
	SourceDir    string
	Region       string
	Bucket       string
	FunctionName string
	APIName      string
	// TokenSecret signs the data service's bearer tokens; empty generates
	// a random one for this run (tokens then die with the stack).
	TokenSecret string
	// SessionSecret encrypts the app's session cookies; empty generates
	// one for this run (sessions then end with the stack).
	SessionSecret string
	// AvatarBucket stores uploaded avatars; empty uses Bucket.
	AvatarBucket string
	// AvatarMaxBytes limits avatar uploads; 0 means the app's default.
	AvatarMaxBytes int64
	// PollInterval is how often an open room polls for new messages; 0
	// means the app's default.
	PollInterval time.Duration
	// EmulatorGuard says which extra Host names and browser origins the
	// embedded emulator serves (loopback clients are always served).
	EmulatorGuard emulator.GuardConfig
	// Target is where the AWS side runs (default TargetEmulator).
	Target Target
	// AWS is the SDK configuration for TargetAWS (the caller loads the
	// standard credential chain); the other targets use test credentials.
	AWS *aws.Config
	// LocalStackImage and LocalStackAuthToken configure TargetLocalStack.
	LocalStackImage     string
	LocalStackAuthToken string
	// PostgresImage is the PostgreSQL image when PostgreSQL runs in Docker
	// (TargetLocalStack, or no local binaries); empty means the default.
	PostgresImage string
	// RunID suffixes the bucket, function and API names (empty: none), so
	// runs on one AWS account do not collide.
	RunID string
}

// Stack is a running system.
type Stack struct {
	log         *slog.Logger
	Emulator    *emulator.Server
	EmulatorURL string
	Postgres    *pgtemp.Cluster // nil when DatabaseURL was given
	DatabaseURL string
	Deploy      *deploy.Result
	// LambdaBuilt says which platform the Lambda was built for and why
	// (platform.Note): the host's on the embedded emulator.
	LambdaBuilt string
	// DeployConfig is what was deployed; deploying it again changes nothing.
	DeployConfig deploy.Config
	AppURL       string
	AWS          aws.Config
	// Target is where the AWS side runs.
	Target       Target
	avatarBucket string
	appServer    *http.Server
	emuErr       chan error
	localstack   *containers.LocalStack
	pgContainer  *containers.Postgres
	// pgStarting delivers the result of a throwaway PostgreSQL starting
	// in the background (nil when none is); waitPostgres reads it once.
	pgStarting chan error
	pgErr      error
	timeline   timeline
}

// Start brings everything up in order, reporting each step. On error,
// whatever was started is stopped again.
func Start(ctx context.Context, opts Options) (_ *Stack, err error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Stack{log: log, avatarBucket: opts.AvatarBucket, timeline: timeline{start: time.Now()}}
	if s.avatarBucket == "" {
		s.avatarBucket = opts.Bucket
	}
	defer func() {
		if err != nil {
			_ = s.Close(context.Background())
		}
	}()

	// 1–2. The AWS side and PostgreSQL, while the Lambda zip is built (or
	// found in the cache): they do not depend on each other. A throwaway
	// PostgreSQL goes on starting while the deploy runs: only the
	// function's first invocation needs it.
	if s.Target, err = ParseTarget(string(opts.Target)); err != nil {
		return nil, err
	}
	zipc := s.buildZip(ctx, opts)
	s.LambdaBuilt = platform.Note(s.Target.lambdaGOOS(), runtime.GOARCH)
	lambdaDB, err := s.startAWSSide(ctx, opts)
	z := <-zipc
	if err != nil {
		return nil, err
	}
	if z.err != nil {
		return nil, z.err
	}

	tokenSecret := opts.TokenSecret
	if tokenSecret == "" {
		tokenSecret = config.NewSecret()
	}

	// 3. Deploy bucket, static files, Lambda and HTTP API through the SDK.
	if opts.AWS != nil {
		s.AWS = *opts.AWS
	} else if s.AWS, err = AWSConfig(ctx, string(s.Target), opts.Region); err != nil {
		return nil, err
	}
	endpoint := s.EmulatorURL // empty for real AWS
	s.DeployConfig = DeployConfig(DeployOptions{
		Logger:       log.With("component", "deploy"),
		Target:       config.Target{Name: string(s.Target), Endpoint: endpoint, RunID: opts.RunID},
		AWS:          s.AWS,
		FunctionName: opts.FunctionName,
		APIName:      opts.APIName,
		Bucket:       opts.Bucket,
		SourceDir:    opts.SourceDir,
		GOOS:         s.Target.lambdaGOOS(),
		LambdaZip:    z.zip,
		Env:          config.FunctionEnv(lambdaDB, tokenSecret),
	})
	first := s.DeployConfig
	// The deploy's health check invokes the function, which opens the
	// database: when PostgreSQL is still starting, check after it is up.
	first.SkipHealthCheck = first.SkipHealthCheck || s.pgStarting != nil
	begin := time.Now()
	res, err := deploy.New(first).Deploy(ctx)
	if err != nil {
		return nil, err
	}
	s.timeline.add("deploy", begin, fmt.Sprintf("%d changes", len(res.Changed)))
	s.Deploy = res
	if err := s.waitPostgres(); err != nil {
		return nil, err
	}
	if first.SkipHealthCheck && !s.DeployConfig.SkipHealthCheck {
		begin := time.Now()
		if err := deploy.New(s.DeployConfig).WaitHealthy(ctx, res.InvokeURL); err != nil {
			return nil, err
		}
		s.timeline.add("health check", begin, "GET /health through API Gateway: the first cold start, migrations")
	}

	// 4. The web app, calling the data API through API Gateway.
	begin = time.Now()
	web, err := NewApp(ctx, AppOptions{
		Logger:         log.With("component", "app"),
		AWS:            s.AWS,
		Endpoint:       endpoint,
		InvokeURL:      res.InvokeURL,
		Bucket:         s.DeployConfig.Bucket,
		AvatarBucket:   opts.AvatarBucket,
		AvatarMaxBytes: opts.AvatarMaxBytes,
		SessionSecret:  opts.SessionSecret,
		PollInterval:   opts.PollInterval,
		OnPage:         s.pageRecorder(),
	})
	if err != nil {
		return nil, err
	}
	appLn, err := net.Listen("tcp", opts.AppAddr)
	if err != nil {
		return nil, fmt.Errorf("app: listen on %s: %w", opts.AppAddr, err)
	}
	s.AppURL = "http://" + appLn.Addr().String()
	s.appServer = httpserver.New(web, httpserver.App)
	go func() { _ = s.appServer.Serve(appLn) }()
	s.timeline.add("app", begin, "")
	log.Info("app listening", "url", s.AppURL)
	return s, nil
}

// pageRecorder shows the app's page views in the embedded emulator's
// console, above the data-API calls each made (grouped by request id);
// with another AWS side there is no console to show them in.
func (s *Stack) pageRecorder() func(app.PageView) {
	if s.Emulator == nil {
		return nil
	}
	rec := s.Emulator.Console.Recorder()
	return func(p app.PageView) {
		rec.RecordPage(console.Page{RequestID: p.RequestID, Method: p.Method, Path: p.Path, Status: p.Status,
			Start: p.Start, TotalMs: float64(p.Total.Microseconds()) / 1000, AppMs: float64(p.Own.Microseconds()) / 1000, Calls: p.Calls})
	}
}

// Close stops the app, the emulator (and with it every Lambda process) and
// the throwaway PostgreSQL, removing their temporary directories.
func (s *Stack) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var errs []error
	if s.appServer != nil {
		errs = append(errs, s.appServer.Shutdown(ctx))
	}
	if s.Target == TargetAWS && s.Deploy != nil {
		// Real AWS costs money: remove what this stack deployed.
		_, err := deploy.New(s.DeployConfig).Destroy(ctx)
		errs = append(errs, err)
	}
	if s.Emulator != nil {
		errs = append(errs, s.Emulator.Shutdown(ctx))
	}
	errs = append(errs, s.stopAWSSide(ctx))
	return errors.Join(errs...)
}

// EmulatorErr reports the emulator server stopping on its own.
func (s *Stack) EmulatorErr() <-chan error { return s.emuErr }

type builtZip struct {
	zip []byte
	err error
}

// buildZip starts building the data service's Lambda zip from
// opts.SourceDir (or reusing the cached one) and delivers it on the channel.
// If the caller gives up, cancelling ctx stops the build.
func (s *Stack) buildZip(ctx context.Context, opts Options) <-chan builtZip {
	c := make(chan builtZip, 1)
	go func() {
		begin := time.Now()
		zip, err := deploy.New(deploy.Config{Logger: s.log.With("component", "deploy"), SourceDir: opts.SourceDir,
			GOOS: s.Target.lambdaGOOS()}).LambdaZip(ctx)
		s.timeline.add("lambda zip", begin, "")
		c <- builtZip{zip, err}
	}()
	return c
}

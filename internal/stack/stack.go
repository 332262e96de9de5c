// Package stack starts the whole Cool Room on one machine: the emulator,
// PostgreSQL, the deployed data service and the web app. `coolroom up` and
// the end-to-end tests use it, so both run the same system.
package stack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/pgtemp"
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
}

// Stack is a running system.
type Stack struct {
	log         *slog.Logger
	Emulator    *emulator.Server
	EmulatorURL string
	Postgres    *pgtemp.Cluster // nil when DatabaseURL was given
	DatabaseURL string
	Deploy      *deploy.Result
	// DeployConfig is what was deployed; deploying it again changes nothing.
	DeployConfig deploy.Config
	AppURL       string
	AWS          aws.Config
	appServer    *http.Server
	emuErr       chan error
}

// Start brings everything up in order, reporting each step. On error,
// whatever was started is stopped again.
func Start(ctx context.Context, opts Options) (_ *Stack, err error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Stack{log: log}
	defer func() {
		if err != nil {
			_ = s.Close(context.Background())
		}
	}()

	// 1. The emulator (S3, Lambda, API Gateway).
	emu, err := emulator.New(emulator.Config{Logger: log.With("component", "emulator"), Region: opts.Region})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", opts.EmulatorAddr)
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on %s: %w (is LocalStack or another emulator already running there?)", opts.EmulatorAddr, err)
	}
	s.Emulator = emu
	s.EmulatorURL = "http://" + ln.Addr().String()
	s.emuErr = make(chan error, 1)
	go func() { s.emuErr <- emu.Serve(ln) }()
	log.Info("emulator listening (S3, Lambda, API Gateway)", "url", s.EmulatorURL, "health", s.EmulatorURL+"/_localstack/health")

	// 2. PostgreSQL.
	s.DatabaseURL = opts.DatabaseURL
	if s.DatabaseURL == "" {
		pg, err := pgtemp.Start(ctx, pgtemp.Options{Logger: log.With("component", "postgres")})
		if err != nil {
			return nil, err
		}
		s.Postgres = pg
		s.DatabaseURL = pg.URL()
	} else {
		log.Info("using PostgreSQL from DATABASE_URL")
	}

	tokenSecret := opts.TokenSecret
	if tokenSecret == "" {
		tokenSecret = randomSecret()
	}

	// 3. Deploy bucket, static files, Lambda and HTTP API through the SDK.
	s.AWS = aws.Config{
		Region: opts.Region,
		// The emulator accepts any key, as LocalStack does.
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	}
	s.DeployConfig = deploy.Config{
		Logger:       log.With("component", "deploy"),
		AWS:          s.AWS,
		EndpointURL:  s.EmulatorURL,
		SourceDir:    opts.SourceDir,
		FunctionName: opts.FunctionName,
		APIName:      opts.APIName,
		Bucket:       opts.Bucket,
		Env:          map[string]string{"DATABASE_URL": s.DatabaseURL, "TOKEN_SECRET": tokenSecret},
		Static:       app.StaticFiles(),
	}
	res, err := deploy.New(s.DeployConfig).Deploy(ctx)
	if err != nil {
		return nil, err
	}
	s.Deploy = res

	// 4. The web app, calling the data API through API Gateway.
	s3c := s3.NewFromConfig(s.AWS, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(s.EmulatorURL)
		o.UsePathStyle = true
	})
	if opts.AvatarBucket != "" && opts.AvatarBucket != opts.Bucket {
		if err := ensureBucket(ctx, s3c, opts.AvatarBucket, opts.Region); err != nil {
			return nil, fmt.Errorf("avatar bucket %s: %w", opts.AvatarBucket, err)
		}
	}
	sessionSecret := opts.SessionSecret
	if sessionSecret == "" {
		sessionSecret = randomSecret()
	}
	web, err := app.New(app.Config{
		Logger:         log.With("component", "app"),
		Data:           dataapi.New(res.InvokeURL, nil),
		S3:             s3c,
		Bucket:         opts.Bucket,
		AvatarBucket:   opts.AvatarBucket,
		AvatarMaxBytes: opts.AvatarMaxBytes,
		SessionKey:     []byte(sessionSecret),
		PollInterval:   opts.PollInterval,
	})
	if err != nil {
		return nil, err
	}
	appLn, err := net.Listen("tcp", opts.AppAddr)
	if err != nil {
		return nil, fmt.Errorf("app: listen on %s: %w", opts.AppAddr, err)
	}
	s.AppURL = "http://" + appLn.Addr().String()
	s.appServer = &http.Server{Handler: web, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.appServer.Serve(appLn) }()
	log.Info("app listening", "url", s.AppURL)
	return s, nil
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
	if s.Emulator != nil {
		errs = append(errs, s.Emulator.Shutdown(ctx))
	}
	if s.Postgres != nil {
		errs = append(errs, s.Postgres.Stop())
	}
	return errors.Join(errs...)
}

// EmulatorErr reports the emulator server stopping on its own.
func (s *Stack) EmulatorErr() <-chan error { return s.emuErr }

// ensureBucket creates the avatar bucket unless this account owns it.
func ensureBucket(ctx context.Context, c *s3.Client, bucket, region string) error {
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err == nil {
		return nil
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if region != "" && region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err := c.CreateBucket(ctx, in)
	var owned *s3types.BucketAlreadyOwnedByYou
	if errors.As(err, &owned) {
		return nil
	}
	return err
}

// randomSecret returns 32 random bytes, hex-encoded: a development secret
// that is never written anywhere but the function's environment.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

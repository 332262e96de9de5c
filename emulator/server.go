// Package emulator is a LocalStack-compatible emulator of S3, Lambda and
// API Gateway on one HTTP port. It routes each request to a service (or the
// console) by its path, its Host and the service named in its SigV4
// credential scope, as LocalStack's edge router does (server.go); refuses
// foreign Host names and cross-site browser requests (guard.go); answers
// LocalStack's health, init and reset endpoints (health.go, control.go);
// and loads and saves the services' state in a data directory (persist.go).
package emulator

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/awsauth"
	"github.com/coolroom/testbed/emulator/console"
	"github.com/coolroom/testbed/emulator/internal/defaults"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
	"github.com/coolroom/testbed/internal/httpserver"
)

// DefaultTimeouts bound a client's connection to the emulator. A request
// may take a minute to send (large S3 uploads from a local SDK take
// seconds); handlers that legitimately run longer than the write timeout
// (a Lambda Invoke of up to 15 minutes, the console's event stream) lift
// it themselves.
var DefaultTimeouts = httpserver.Timeouts{ReadHeader: 10 * time.Second, Read: time.Minute, Write: 5 * time.Minute, Idle: 2 * time.Minute}

// Config configures an emulator.
type Config struct {
	Logger *slog.Logger
	// Region answers unsigned requests (default us-east-1).
	Region string
	// LambdaWorkDir holds unpacked function code (default: a temp dir).
	LambdaWorkDir string
	// LambdaMaxInstances caps the live processes of one function (default
	// 16); invocations over it queue for a free instance.
	LambdaMaxInstances int
	// LambdaAccountConcurrency is the account's concurrency limit (default
	// 1,000); invocations over it are throttled as on AWS.
	LambdaAccountConcurrency int
	// Timeouts override DefaultTimeouts phase by phase (tests use short ones).
	Timeouts httpserver.Timeouts
	// LambdaIdleTimeout retires unused warm instances (default 10 min).
	LambdaIdleTimeout time.Duration
	// LambdaPython and LambdaNode are the interpreters of the python3.x
	// and nodejs runtimes (COOLROOM_PYTHON, COOLROOM_NODE); empty looks up
	// python3 and node on PATH.
	LambdaPython, LambdaNode string
	// DataDir, when set, keeps state across restarts: it is loaded by New
	// and written by Shutdown (buckets and objects, functions and their
	// code, HTTP and REST APIs).
	DataDir string
	// Guard says which Host names and browser origins are served besides
	// loopback clients (see GuardConfig).
	Guard GuardConfig
}

// Server is the emulator: one handler in front of the services.
type Server struct {
	log     *slog.Logger
	S3      *s3.Service
	Lambda  *lambda.Service
	Gateway *apigateway.Service
	// Console is the teaching console at /_console; Lambda and API Gateway
	// report each invocation and execute-api request to its recorder.
	Console *console.Console
	started time.Time
	http    *http.Server
	dataDir string
	guard   *guard
}

// New creates an emulator with empty in-memory state.
func New(cfg Config) (*Server, error) {
	log := defaults.Logger(cfg.Logger)
	cfg.Region = cmp.Or(cfg.Region, defaults.Region)
	rec := console.NewRecorder(console.DefaultTraceBytes, console.DefaultMaxInvocations)
	fns, err := lambda.New(lambda.Options{Logger: log.With("service", "lambda"), Region: cfg.Region, WorkDir: cfg.LambdaWorkDir,
		MaxInstances: cfg.LambdaMaxInstances, AccountConcurrency: cfg.LambdaAccountConcurrency, IdleTimeout: cfg.LambdaIdleTimeout, OnInvoke: rec.RecordInvocation,
		Python: cfg.LambdaPython, Node: cfg.LambdaNode})
	if err != nil {
		return nil, err
	}
	srv := &Server{
		log:    log,
		S3:     s3.New(log.With("service", "s3")),
		Lambda: fns,
		Gateway: apigateway.New(apigateway.Options{Logger: log.With("service", "apigateway"), Invoker: fns, Region: cfg.Region,
			OnTrace: rec.RecordTrace}),
		started: time.Now(),
		guard:   newGuard(cfg.Guard),
	}
	// S3 calls (the app's avatars, the deployer's uploads) are traced too.
	srv.S3.OnRequest(rec.RecordS3)
	srv.Console = console.New(console.Options{Logger: log.With("service", "console"), Recorder: rec,
		S3: srv.S3, Lambda: fns, Gateway: srv.Gateway})
	srv.http = httpserver.New(srv, cfg.Timeouts.Or(DefaultTimeouts))
	// Open console tabs hold event streams; end them so Shutdown need not
	// wait for the browser.
	srv.http.RegisterOnShutdown(srv.Console.Close)
	if cfg.DataDir != "" {
		srv.dataDir = cfg.DataDir
		if err := srv.load(); err != nil {
			_ = srv.Lambda.Close(context.Background())
			return nil, fmt.Errorf("emulator: load state from %s: %w", cfg.DataDir, err)
		}
	}
	return srv, nil
}

// ServeHTTP refuses foreign Host names and browser cross-site requests,
// then routes a request to the service it is for.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.guard.hostAllowed(r.Host) {
		s.log.Warn("refused a request for a foreign Host name (DNS rebinding?)", "host", r.Host, "method", r.Method, "path", r.URL.Path)
		refuse(w, fmt.Sprintf("the emulator answers only loopback addresses, localhost, *.localhost and *.localhost.localstack.cloud; Host %q is not one of them. "+
			"If a container reaches the emulator under that name, add it to COOLROOM_EMULATOR_HOSTS.", r.Host))
		return
	}
	if !isExecuteAPI(r) {
		if why := s.guard.crossSite(r); why != "" {
			s.log.Warn("refused a browser cross-site request", "why", why, "method", r.Method, "path", r.URL.Path)
			refuse(w, "the emulator refuses requests that a browser sends on behalf of another site ("+why+"): a web page must not "+
				"drive S3, Lambda or API Gateway on this machine. SDKs and CLIs are not affected. To allow a trusted origin, add it to "+
				"EXTRA_CORS_ALLOWED_ORIGINS (or set DISABLE_CORS_CHECKS=1).")
			return
		}
	}
	s.route(w, r)
}

// route sends a request to the service it is for.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/_localstack/health") || path == "/health":
		s.handleHealth(w, r)
	case path == "/_localstack/state/reset" || path == "/_coolroom/reset":
		s.handleReset(w, r)
	case strings.HasPrefix(path, "/_localstack/init"):
		s.handleInitReady(w, r)
	case isConsole(r):
		s.Console.ServeHTTP(w, r)
	case strings.HasPrefix(path, "/restapis/") && strings.Contains(path, "/_user_request_"):
		// LocalStack's legacy REST form: /restapis/<id>/<stage>/_user_request_/<path>.
		rest := strings.TrimPrefix(r.URL.EscapedPath(), "/restapis/")
		apiID, sub, _ := strings.Cut(rest, "/")
		stage, userPath, _ := strings.Cut(sub, "/_user_request_")
		s.Gateway.ServeExecuteAPI(w, r, apiID, "/"+stage+userPath)
	case strings.HasPrefix(path, apigateway.ExecuteAPIPath):
		rest := strings.TrimPrefix(r.URL.EscapedPath(), apigateway.ExecuteAPIPath)
		apiID, sub, _ := strings.Cut(rest, "/")
		s.Gateway.ServeExecuteAPI(w, r, apiID, "/"+sub)
	case lambda.URLHost(r.Host) != "":
		s.Gateway.ServeFunctionURL(w, r, lambda.URLHost(r.Host), s.Lambda.FunctionForURL)
	case apigateway.APIOfHost(r.Host) != "":
		s.Gateway.ServeExecuteAPI(w, r, apigateway.APIOfHost(r.Host), r.URL.EscapedPath())
	case s.serviceOf(r) == "lambda":
		s.Lambda.ServeHTTP(w, r)
	case s.serviceOf(r) == "apigateway":
		s.Gateway.ServeHTTP(w, r)
	default:
		s.S3.ServeHTTP(w, r)
	}
}

// isConsole reports whether r is for the console: an unsigned request
// under /_console. No bucket can be named "_console", and a signed request
// there (a virtual-host object key) stays with S3.
func isConsole(r *http.Request) bool {
	p := r.URL.Path
	if p != console.Prefix && !strings.HasPrefix(p, console.Prefix+"/") {
		return false
	}
	_, signed := awsauth.ScopeOf(r)
	return !signed
}

// serviceOf names the AWS service a request is for: the signed service
// first, then well-known path prefixes for unsigned requests.
func (s *Server) serviceOf(r *http.Request) string {
	if scope, ok := awsauth.ScopeOf(r); ok && scope.Service != "s3" {
		return scope.Service
	}
	switch {
	case strings.HasPrefix(r.URL.Path, "/2015-03-31/functions"):
		return "lambda"
	case strings.HasPrefix(r.URL.Path, "/v2/apis"), strings.HasPrefix(r.URL.Path, "/restapis"):
		return "apigateway"
	}
	return "s3"
}

// ListenAndServe serves on addr until Shutdown.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Serve serves on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.guard.listening(ln.Addr())
	err := s.http.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops serving, then stops every Lambda instance and removes
// unpacked code, so no process or temporary directory outlives the emulator.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if s.dataDir != "" {
		err = errors.Join(err, s.save())
	}
	return errors.Join(err, s.Lambda.Close(ctx))
}

// Run serves on ln until ctx is cancelled (SIGINT/SIGTERM in the CLIs),
// then shuts down (httpserver.Run).
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	return httpserver.Run(ctx, s, ln)
}

// Package lambda emulates the AWS Lambda control plane (CreateFunction,
// GetFunction, Invoke, …) and runs functions for real: the uploaded zip is
// unpacked, its `bootstrap` executable (or, for python3.x and nodejs
// runtimes, the machine's interpreter with an embedded runtime client) is
// started as a child process, and the emulator serves it the Lambda Runtime
// API it polls for invocations.
package lambda

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/coolroom/testbed/emulator/awsauth"
	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/defaults"
	"github.com/coolroom/testbed/internal/lifetime"
)

// Options configure the Lambda service.
type Options struct {
	Logger *slog.Logger
	// AccountID appears in ARNs (LocalStack uses 000000000000).
	AccountID string
	// Region is used when a request carries no signed region.
	Region string
	// WorkDir holds unpacked function code; a temporary directory if empty.
	WorkDir string
	// MaxInstances caps the live bootstrap processes of one function
	// (default 16). It is the emulator's resource limit, not a throttle:
	// an invocation over it waits for an instance to free up, within the
	// function's timeout and the caller's deadline.
	MaxInstances int
	// AccountConcurrency is the account's concurrency limit, shared by the
	// functions without reserved concurrency after all reservations are
	// taken out (default 1,000, as on AWS). Invocations over it, or over a
	// function's reserved concurrency, are throttled with
	// TooManyRequestsException as AWS does.
	AccountConcurrency int
	// IdleTimeout is how long an unused warm instance lives (default 10 min).
	IdleTimeout time.Duration
	// Python and Node are the interpreters of the python3.x and nodejs
	// runtimes (COOLROOM_PYTHON, COOLROOM_NODE); empty looks up python3
	// and node on PATH.
	Python, Node string
	// OnInvoke, if set, is called after every invocation (synchronous or
	// Event) with its outcome; the emulator's console records it. It runs
	// on the invoking goroutine, so it must be quick, and must not keep
	// res.Payload (it may be megabytes).
	OnInvoke func(function string, res *Result)
}

// Service is the emulated Lambda service. Its zero value is not usable; use New.
type Service struct {
	log          *slog.Logger
	accountID    string
	region       string
	workDir      string
	ownsDir      bool
	maxInstances int
	accountLimit int
	idleTimeout  time.Duration
	onInvoke     func(function string, res *Result)
	interpreters *interpreters
	mux          *http.ServeMux
	done         chan struct{}

	mu        sync.Mutex
	functions map[string]*function
	closed    bool

	// concMu guards the invocation counts of admit: unreservedInFlight
	// and every function's inFlight.
	concMu             sync.Mutex
	unreservedInFlight int
}

// New returns a Lambda service.
func New(opts Options) (*Service, error) {
	s := &Service{
		log:          defaults.Logger(opts.Logger),
		accountID:    cmp.Or(opts.AccountID, defaults.AccountID),
		region:       cmp.Or(opts.Region, defaults.Region),
		workDir:      opts.WorkDir,
		maxInstances: opts.MaxInstances,
		accountLimit: opts.AccountConcurrency,
		idleTimeout:  opts.IdleTimeout,
		onInvoke:     opts.OnInvoke,
		functions:    map[string]*function{},
		done:         make(chan struct{}),
	}
	if s.idleTimeout <= 0 {
		s.idleTimeout = 10 * time.Minute
	}
	if s.maxInstances <= 0 {
		s.maxInstances = 16
	}
	if s.accountLimit <= 0 {
		s.accountLimit = 1000
	}
	if s.workDir == "" {
		// Sweeps the work dirs of emulators that were killed, then records
		// this one's owner.
		dir, err := lifetime.TempDir("coolroom-lambda-")
		if err != nil {
			return nil, fmt.Errorf("lambda: work dir: %w", err)
		}
		s.workDir, s.ownsDir = dir, true
	}
	s.interpreters = &interpreters{configured: map[string]string{"Python": opts.Python, "Node.js": opts.Node}, workDir: s.workDir}
	s.mux = s.routes()
	go s.reaper()
	return s, nil
}

// ServeHTTP serves the Lambda control-plane API.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// lookup finds a function by name, ARN or partial ARN.
func (s *Service) lookup(nameOrARN string) (*function, error) {
	name := functionName(nameOrARN)
	s.mu.Lock()
	defer s.mu.Unlock()
	fn, ok := s.functions[name]
	if !ok {
		return nil, awserr.New(http.StatusNotFound, awserr.ResourceNotFound,
			fmt.Sprintf("Function not found: arn:aws:lambda:%s:%s:function:%s", s.region, s.accountID, name))
	}
	return fn, nil
}

// Functions returns the names of all functions, sorted.
func (s *Service) Functions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.functions))
	for n := range s.functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Instances describes the running instances of a function.
func (s *Service) Instances(name string) []InstanceInfo {
	fn, err := s.lookup(name)
	if err != nil {
		return nil
	}
	return fn.instanceInfos()
}

// Reset deletes every function and stops its instances, as a fresh
// emulator has none.
func (s *Service) Reset() {
	s.mu.Lock()
	fns := s.functions
	s.functions = map[string]*function{}
	s.mu.Unlock()
	for _, fn := range fns {
		fn.shutdown()
	}
}

// Close stops every function instance and removes unpacked code.
func (s *Service) Close(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		close(s.done)
	}
	s.closed = true
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		fns = append(fns, fn)
	}
	s.functions = map[string]*function{}
	s.mu.Unlock()
	for _, fn := range fns {
		fn.shutdown()
	}
	if s.ownsDir {
		return os.RemoveAll(s.workDir)
	}
	return nil
}

func (s *Service) regionOf(r *http.Request) string { return awsauth.Region(r, s.region) }

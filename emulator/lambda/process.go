// An instance's process: starting `bootstrap` (or a language runtime's
// interpreter) with the environment AWS sets, its Runtime API server, and
// stopping both.

package lambda

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coolroom/testbed/internal/httpserver"
	"github.com/coolroom/testbed/internal/lifetime"
)

// InstanceInfo describes one running execution environment.
type InstanceInfo struct {
	ID          string `json:"id"`
	PID         int    `json:"pid"`
	RuntimeAPI  string `json:"runtimeApi"`
	Invocations int    `json:"invocations"`
	Busy        bool   `json:"busy"`
}

// instance is one execution environment: a `bootstrap` process and the
// Runtime API server it polls. It handles one invocation at a time.
type instance struct {
	fn     *function
	id     string
	gen    int // the function's generation (code and configuration) it runs
	cmd    *exec.Cmd
	group  *lifetime.Group
	server *http.Server
	addr   string

	// pending carries the invocation handed to the next /next poll.
	pending chan *invocation
	// exited is closed when the process has exited.
	exited chan struct{}
	// initErr is set when the runtime reported /runtime/init/error.
	initErr chan *FunctionError

	mu      sync.Mutex
	current *invocation
	output  *outputPipe
	// logTo is the invocation whose log the process output goes to.
	logTo       *invocation
	invocations int
	busy        bool
	used        time.Time // end of the last invocation, for idle reaping
	started     time.Time // when bootstrap was started
	initDone    time.Time // its first /next poll: the end of the init phase
	stopOnce    sync.Once
}

// startInstance launches bootstrap from the function's current code with
// the environment AWS gives provided runtimes.
func (fn *function) startInstance() (*instance, error) {
	fn.mu.Lock()
	fn.nextInstance++
	in := &instance{
		fn:      fn,
		id:      fmt.Sprintf("%s-%d", fn.name, fn.nextInstance),
		gen:     fn.gen,
		pending: make(chan *invocation, 1),
		exited:  make(chan struct{}),
		initErr: make(chan *FunctionError, 1),
	}
	code, handler, runtime := fn.code, fn.handler, fn.runtime
	env := fn.processEnv()
	fn.mu.Unlock()
	if err := code.wait(); err != nil {
		return nil, &FunctionError{Type: "Runtime.InvalidEntrypoint", Message: "could not unpack the deployment package: " + err.Error()}
	}
	codeDir := code.dir
	argv, extraEnv, fe := fn.command(runtime, codeDir)
	if fe != nil {
		return nil, fe
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API listener: %w", err)
	}
	in.addr = ln.Addr().String()
	in.server = httpserver.New(in.runtimeAPI(), runtimeAPITimeouts)
	go func() { _ = in.server.Serve(ln) }()

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = codeDir
	cmd.Env = append(append(env, extraEnv...),
		"AWS_LAMBDA_RUNTIME_API="+in.addr,
		"AWS_LAMBDA_LOG_STREAM_NAME="+time.Now().UTC().Format("2006/01/02")+"/[$LATEST]"+in.id,
		"_HANDLER="+handler,
	)
	out, pw, err := newOutputPipe(&logWriter{in: in})
	if err != nil {
		_ = in.server.Close()
		return nil, fmt.Errorf("output pipe: %w", err)
	}
	in.output = out
	// An *os.File is handed to the child as is: no copying goroutine of
	// exec's own sits between the function and its log.
	cmd.Stdout, cmd.Stderr = pw, pw
	// Own process group, so a stop also ends anything bootstrap started,
	// and it dies with the emulator even on a crash (see internal/lifetime).
	in.started = time.Now()
	group, err := lifetime.Start(cmd, syscall.SIGKILL)
	_ = pw.Close() // the child has its copy
	if err != nil {
		_ = out.r.Close()
		_ = in.server.Close()
		return nil, &FunctionError{Type: "Runtime.InvalidEntrypoint", Message: "could not start " + argv[0] + ": " + err.Error()}
	}
	in.cmd, in.group = cmd, group
	outputDone := make(chan struct{})
	go func() { out.run(); close(outputDone) }()
	go func() {
		_ = cmd.Wait()
		select {
		case <-outputDone:
		case <-time.After(time.Second): // a grandchild may hold the pipe open
		}
		close(in.exited)
		in.stop()
	}()
	fn.svc.log.Info("lambda instance started", "function", fn.name, "instance", in.id, "pid", cmd.Process.Pid, "runtime_api", in.addr)
	return in, nil
}

// command is what an instance runs, and the environment it adds: the
// zip's bootstrap for an OS-only runtime; for a language runtime the
// machine's interpreter with the embedded runtime client, whose directory
// is LAMBDA_RUNTIME_DIR (/var/runtime on AWS).
func (fn *function) command(runtime, codeDir string) (argv, env []string, _ *FunctionError) {
	l := languageOf(runtime)
	if l == nil {
		bootstrap := filepath.Join(codeDir, "bootstrap")
		if fi, err := os.Stat(bootstrap); err != nil || fi.Mode()&0o111 == 0 {
			return nil, nil, &FunctionError{Type: "Runtime.InvalidEntrypoint",
				Message: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap] (the zip needs an executable file named bootstrap at its root)"}
		}
		if err := checkExecutable(bootstrap); err != nil {
			return nil, nil, &FunctionError{Type: "Runtime.InvalidEntrypoint", Message: err.Error()}
		}
		return []string{bootstrap}, nil, nil
	}
	in, err := fn.svc.interpreters.resolve(l)
	if err != nil {
		return nil, nil, &FunctionError{Type: "Runtime.InvalidEntrypoint", Message: err.Error()}
	}
	if note, first := fn.svc.interpreters.mismatch(runtime, in); first {
		fn.svc.log.Warn("lambda runtime version differs from the machine's interpreter; running on the machine's", "function", fn.name, "note", note)
	}
	argv = append(append([]string{in.path}, l.args...), in.client)
	return argv, []string{"LAMBDA_RUNTIME_DIR=" + filepath.Dir(in.client), "AWS_EXECUTION_ENV=AWS_Lambda_" + runtime}, nil
}

// processEnv is the environment of a provided.al2023 execution environment
// plus the function's own variables. Nothing leaks from the emulator's own
// environment, as on AWS. Callers hold fn.mu.
func (fn *function) processEnv() []string {
	region := fn.svc.region
	if r := arnRegion(fn.arn); r != "" {
		region = r
	}
	env := []string{
		"PATH=/usr/local/bin:/usr/bin:/bin:/opt/bin",
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"LAMBDA_TASK_ROOT=" + fn.code.dir,
		"LAMBDA_RUNTIME_DIR=" + fn.code.dir,
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"AWS_LAMBDA_FUNCTION_NAME=" + fn.name,
		"AWS_LAMBDA_FUNCTION_VERSION=" + fn.versionLabel(),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(int(fn.memory)),
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + fn.name,
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_ACCESS_KEY_ID=test",
		"AWS_SECRET_ACCESS_KEY=test",
		"AWS_SESSION_TOKEN=test",
	}
	for k, v := range fn.env {
		env = append(env, k+"="+v)
	}
	return env
}

func arnRegion(arn string) string {
	// arn:aws:lambda:<region>:<account>:function:<name>
	parts := strings.Split(arn, ":")
	if len(parts) < 4 {
		return ""
	}
	return parts[3]
}

// stop kills the process group and closes the Runtime API server.
func (in *instance) stop() {
	in.stopOnce.Do(func() {
		// Leave the pool first, so nobody sees an instance whose process is gone.
		in.fn.removeInstance(in)
		if in.group != nil {
			in.group.Kill()
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = in.server.Shutdown(ctx)
		_ = in.server.Close()
		in.fn.svc.log.Info("lambda instance stopped", "function", in.fn.name, "instance", in.id)
	})
}

func (in *instance) lastUsed() time.Time {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.used
}

func (in *instance) info() InstanceInfo {
	in.mu.Lock()
	defer in.mu.Unlock()
	pid := 0
	if in.cmd != nil && in.cmd.Process != nil {
		pid = in.cmd.Process.Pid
	}
	return InstanceInfo{ID: in.id, PID: pid, RuntimeAPI: in.addr, Invocations: in.invocations, Busy: in.busy}
}

// removeInstance takes a stopped instance out of the pool; its slot goes

func (in *instance) hasExited() bool {
	select {
	case <-in.exited:
		return true
	default:
		return false
	}
}

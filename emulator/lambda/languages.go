// Language runtimes: the python3.x and nodejs runtimes, which run on the
// machine's own interpreters through the same Runtime API as a provided
// runtime's bootstrap, with a small runtime client per language embedded in
// the emulator (runtimes/bootstrap.py, runtimes/bootstrap.js). This file
// says which runtimes those are, finds the interpreters and writes the
// clients out for them.

package lambda

import (
	"embed"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/coolroom/testbed/emulator/awserr"
)

//go:embed runtimes/bootstrap.py runtimes/bootstrap.js
var runtimeClients embed.FS

// language is a family of Lambda runtimes run by one interpreter.
type language struct {
	name     string   // "Python", "Node.js"
	runtimes []string // the runtime identifiers it serves
	command  string   // looked up on PATH when no path is configured
	variable string   // the configuration variable naming the interpreter
	client   string   // the embedded runtime client's file name
	install  string   // how to install the interpreter on Debian/Ubuntu
	// probe prints the interpreter's real path and version, one a line:
	// shims (pyenv, asdf, nvm) resolve to the program they run.
	probe []string
	// args are the interpreter's arguments before the client's path.
	args []string
}

// languages are the language runtimes the emulator runs, as AWS names
// them (deprecated ones included: the emulator does not block creation).
var languages = []*language{
	{name: "Python", command: "python3", variable: "COOLROOM_PYTHON", client: "bootstrap.py", install: "apt-get install python3",
		runtimes: []string{"python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14"},
		probe:    []string{"-c", "import sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3])"},
		// Unbuffered, so a function's output is in the log of the
		// invocation that wrote it.
		args: []string{"-u"}},
	{name: "Node.js", command: "node", variable: "COOLROOM_NODE", client: "bootstrap.js", install: "apt-get install nodejs",
		runtimes: []string{"nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x"},
		probe:    []string{"-e", "console.log(process.execPath); console.log(process.versions.node)"}},
}

// languageOf returns the language of a runtime identifier, or nil for the
// OS-only runtimes (and unknown ones).
func languageOf(runtime string) *language {
	for _, l := range languages {
		for _, r := range l.runtimes {
			if r == runtime {
				return l
			}
		}
	}
	return nil
}

// wantVersion is the interpreter version a runtime names: "3.12" for
// python3.12, "20" for nodejs20.x.
func wantVersion(runtime string) string {
	v := strings.TrimPrefix(strings.TrimPrefix(runtime, "python"), "nodejs")
	return strings.TrimSuffix(v, ".x")
}

// versionMatches reports whether version (3.11.7) is what want (3.11)
// names.
func versionMatches(version, want string) bool {
	return version == want || strings.HasPrefix(version, want+".")
}

// interpreter is a resolved interpreter on this machine.
type interpreter struct {
	path    string // the program itself, past any shim
	version string // "3.11.7", "20.20.2"
	client  string // the runtime client's path, in the service's work dir
}

// interpreters finds and remembers each language's interpreter.
type interpreters struct {
	configured map[string]string // language name → configured path
	workDir    string

	mu     sync.Mutex
	found  map[*language]*interpreter
	warned map[string]bool // runtimes whose version mismatch was logged
}

// resolve finds l's interpreter: the configured path, else the command on
// PATH. A failure says what is missing and how to install it. Successes
// are kept; a failure is retried on the next call (it may be installed
// meanwhile).
func (ip *interpreters) resolve(l *language) (*interpreter, error) {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if in := ip.found[l]; in != nil {
		return in, nil
	}
	path := ip.configured[l.name]
	if path == "" {
		p, err := exec.LookPath(l.command)
		if err != nil {
			return nil, fmt.Errorf("%s runtimes run on this machine's %s, and there is no %s on the emulator's PATH: install it (%s) or set %s to an interpreter's path",
				l.name, l.name, l.command, l.install, l.variable)
		}
		path = p
	}
	out, err := exec.Command(path, l.probe...).Output()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) != 2 {
		return nil, fmt.Errorf("%s runtimes run on this machine's %s, and %s does not run as one (%v): install it (%s) or set %s to an interpreter's path",
			l.name, l.name, path, errOr(err, "unexpected output"), l.install, l.variable)
	}
	client := filepath.Join(ip.workDir, "runtime", l.client)
	if err := writeClient(l.client, client); err != nil {
		return nil, err
	}
	in := &interpreter{path: strings.TrimSpace(lines[0]), version: strings.TrimSpace(lines[1]), client: client}
	if ip.found == nil {
		ip.found = map[*language]*interpreter{}
	}
	ip.found[l] = in
	return in, nil
}

func errOr(err error, msg string) string {
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) && len(exit.Stderr) > 0 {
			return strings.TrimSpace(string(exit.Stderr))
		}
		return err.Error()
	}
	return msg
}

// writeClient writes the embedded runtime client to path (once per
// service; instances share it).
func writeClient(name, path string) error {
	data, err := runtimeClients.ReadFile("runtimes/" + name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// mismatch reports, once per runtime, that the machine's interpreter is
// not the version the runtime names: the function runs on it anyway (the
// emulator runs what the machine has, as a developer's own `python3`
// would), and the log says so.
func (ip *interpreters) mismatch(runtime string, in *interpreter) (note string, first bool) {
	want := wantVersion(runtime)
	if versionMatches(in.version, want) {
		return "", false
	}
	ip.mu.Lock()
	defer ip.mu.Unlock()
	if ip.warned == nil {
		ip.warned = map[string]bool{}
	}
	first = !ip.warned[runtime]
	ip.warned[runtime] = true
	return fmt.Sprintf("%s functions run on this machine's %s %s (%s), not %s", runtime, languageOf(runtime).name, in.version, in.path, want), first
}

// describe says, for the console, which interpreter runs a language
// runtime's functions ("Python 3.11.7 (/usr/bin/python3.11)") and what
// that means; empty until it was first found.
func (ip *interpreters) describe(runtime string) (binary, note string) {
	l := languageOf(runtime)
	ip.mu.Lock()
	in := ip.found[l]
	ip.mu.Unlock()
	if in == nil {
		return "", ""
	}
	binary = fmt.Sprintf("%s %s (%s)", l.name, in.version, in.path)
	want := wantVersion(runtime)
	if versionMatches(in.version, want) {
		return binary, "runs on this machine's interpreter with the emulator's runtime client"
	}
	return binary, fmt.Sprintf("%s asks for %s %s; runs on this machine's %s instead", runtime, l.name, want, in.version)
}

// checkRuntime refuses a runtime the emulator cannot run: an unknown one,
// or a language runtime whose interpreter is missing (CreateFunction and
// UpdateFunctionConfiguration answer InvalidParameterValueException saying
// what to install, rather than accepting a function that could never run).
func (s *Service) checkRuntime(runtime string) error {
	switch runtime {
	case runtimeProvidedAL2023, runtimeProvidedAL2, runtimeProvided:
		return nil
	}
	l := languageOf(runtime)
	if l == nil {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue,
			fmt.Sprintf("runtime %q is not supported by the emulator: use provided.al2023 or provided.al2 (a zip holding an executable named bootstrap), python3.9 to python3.14, or nodejs18.x to nodejs24.x", runtime))
	}
	if _, err := s.interpreters.resolve(l); err != nil {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, fmt.Sprintf("runtime %s cannot run here: %v", runtime, err))
	}
	return nil
}

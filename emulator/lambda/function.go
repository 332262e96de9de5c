package lambda

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Function states and update statuses, as AWS names them.
const (
	StatePending    = "Pending"
	StateActive     = "Active"
	StateFailed     = "Failed"
	UpdateSuccess   = "Successful"
	UpdateProgress  = "InProgress"
	UpdateFailed    = "Failed"
	latestVersion   = "$LATEST"
	lastModifiedFmt = "2006-01-02T15:04:05.000-0700"
)

// function is one deployed Lambda function and its instances.
type function struct {
	svc *Service

	mu            sync.Mutex
	name          string
	arn           string
	runtime       string
	role          string
	handler       string
	description   string
	timeout       int32
	memory        int32
	env           map[string]string
	architectures []string
	state         string
	stateReason   string
	stateCode     string // StateReasonCode
	updateStatus  string
	updateReason  string
	updateCode    string // LastUpdateStatusReasonCode
	lastModified  time.Time
	revision      int
	codeSha256    string
	codeSize      int64
	code          *codePackage // the current generation's code
	zip           []byte       // the current code's zip, kept for the data directory
	codeGen       int          // bumped on every code update; names the code's directory
	gen           int          // bumped on every code or configuration update; instances of older generations retire
	instances     map[*instance]struct{}
	idle          []*instance
	nextInstance  int
	starting      int // instances being started, counted against the instance cap
	coldStarts    int // instances ever started, for the console
	peak          int // most instances alive at once, for the console
	waiters       []*waiter
	closed        bool // deleted or shut down: no new instances
	inFlight      int  // admitted invocations; guarded by svc.concMu, not mu
	policy        []policyStatement
	reserved      *int32 // reserved concurrency; nil when unset
	url           *urlConfig
	version       string               // "" for $LATEST, "1", "2", … for a published version
	versions      map[string]*function // published versions of $LATEST, by number
	lastVersion   int
	aliases       map[string]*alias
}

// configuration is the FunctionConfiguration JSON shape.
type configuration struct {
	FunctionName     string       `json:"FunctionName"`
	FunctionArn      string       `json:"FunctionArn"`
	Runtime          string       `json:"Runtime,omitempty"`
	Role             string       `json:"Role,omitempty"`
	Handler          string       `json:"Handler,omitempty"`
	Description      string       `json:"Description"`
	Timeout          int32        `json:"Timeout"`
	MemorySize       int32        `json:"MemorySize"`
	CodeSize         int64        `json:"CodeSize"`
	CodeSha256       string       `json:"CodeSha256"`
	LastModified     string       `json:"LastModified"`
	Version          string       `json:"Version"`
	Environment      *environment `json:"Environment,omitempty"`
	State            string       `json:"State"`
	StateReason      string       `json:"StateReason,omitempty"`
	StateReasonCode  string       `json:"StateReasonCode,omitempty"`
	LastUpdateStatus string       `json:"LastUpdateStatus"`
	LastUpdateReason string       `json:"LastUpdateStatusReason,omitempty"`
	LastUpdateCode   string       `json:"LastUpdateStatusReasonCode,omitempty"`
	PackageType      string       `json:"PackageType"`
	Architectures    []string     `json:"Architectures"`
	RevisionID       string       `json:"RevisionId"`
}

type environment struct {
	Variables map[string]string `json:"Variables"`
}

func (fn *function) configuration() configuration {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	c := configuration{
		FunctionName:     fn.name,
		FunctionArn:      fn.arn,
		Runtime:          fn.runtime,
		Role:             fn.role,
		Handler:          fn.handler,
		Description:      fn.description,
		Timeout:          fn.timeout,
		MemorySize:       fn.memory,
		CodeSize:         fn.codeSize,
		CodeSha256:       fn.codeSha256,
		LastModified:     fn.lastModified.Format(lastModifiedFmt),
		Version:          fn.versionLabel(),
		State:            fn.state,
		StateReason:      fn.stateReason,
		StateReasonCode:  fn.stateCode,
		LastUpdateStatus: fn.updateStatus,
		LastUpdateReason: fn.updateReason,
		LastUpdateCode:   fn.updateCode,
		PackageType:      "Zip",
		Architectures:    fn.architectures,
		RevisionID:       fmt.Sprintf("rev-%d", fn.revision),
	}
	if len(fn.env) > 0 {
		c.Environment = &environment{Variables: copyEnv(fn.env)}
	}
	return c
}

func copyEnv(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// functionName accepts a name, a full ARN or a partial ARN and returns the
// name, as Lambda's FunctionName parameter does.
func functionName(nameOrARN string) string {
	if !strings.Contains(nameOrARN, ":") {
		return nameOrARN
	}
	parts := strings.Split(nameOrARN, ":")
	for i, p := range parts {
		if p == "function" && i+1 < len(parts) {
			return parts[i+1]
		}
	}
	// "123456789012:function-name" or "name:qualifier".
	if len(parts) == 2 && isDigits(parts[0]) {
		return parts[1]
	}
	return parts[0]
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// codePackage is one generation of a function's code, unpacked in the
// background: CreateFunction and UpdateFunctionCode return at once (as on
// AWS), and the first instance waits for ready.
type codePackage struct {
	dir   string
	ready chan struct{}
	err   error // set before ready closes
	// binary and note describe the bootstrap (describeBootstrap); set
	// before ready closes.
	binary, note string
}

// wait blocks until the code is unpacked and reports whether that worked.
func (c *codePackage) wait() error {
	<-c.ready
	return c.err
}

// installCode makes zipData the current code, unpacking it in the
// background, and retires the instances of the previous code so the next
// invocation runs the new code. A first install decides the function's
// State (Failed if the zip cannot be unpacked); a later one its
// LastUpdateStatus (InProgress until unpacked, then Successful or Failed).
func (fn *function) installCode(zipData []byte) {
	fn.mu.Lock()
	first := fn.code == nil
	if !first {
		fn.updateStatus, fn.updateReason, fn.updateCode = UpdateProgress, "The function is being updated.", ""
	}
	fn.codeGen++
	fn.gen++
	c := &codePackage{dir: filepath.Join(fn.svc.workDir, fmt.Sprintf("%s-%d", fn.name, fn.codeGen)), ready: make(chan struct{})}
	old := fn.code
	fn.code = c
	fn.codeSha256, fn.codeSize = codeSHA256(zipData), int64(len(zipData))
	fn.zip = zipData
	retired := fn.idle
	fn.idle = nil
	fn.mu.Unlock()
	go func() {
		if c.err = unzip(zipData, c.dir); c.err != nil {
			_ = os.RemoveAll(c.dir)
			fn.svc.log.Error("lambda code could not be unpacked", "function", fn.name, "err", c.err)
		} else {
			c.binary, c.note = describeBootstrap(c.dir)
		}
		close(c.ready)
		fn.codeSettled(c, first)
	}()
	for _, in := range retired {
		in.stop()
	}
	if old != nil {
		// Busy instances of the old generation keep running: Linux lets a
		// running executable's directory be removed safely.
		go func() {
			_ = old.wait()
			_ = os.RemoveAll(old.dir)
		}()
	}
}

// invalidZip is the StateReasonCode and LastUpdateStatusReasonCode AWS
// gives a deployment package it cannot unpack.
const invalidZip = "InvalidZipFileException"

// codeSettled records how unpacking c ended, unless newer code replaced it
// meanwhile: a function whose first code cannot be unpacked is Failed
// (AWS: delete and recreate it), from Pending or from the Active that
// activate may have set already; a failed update leaves the State alone
// and sets LastUpdateStatus Failed.
func (fn *function) codeSettled(c *codePackage, first bool) {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if fn.code != c {
		return
	}
	reason := ""
	if c.err != nil {
		reason = "Could not unzip uploaded file. Please check your file, then try to upload again. (" + c.err.Error() + ")"
	}
	switch {
	case first && c.err != nil:
		fn.state, fn.stateReason, fn.stateCode = StateFailed, reason, invalidZip
	case first:
	case c.err != nil:
		fn.updateStatus, fn.updateReason, fn.updateCode = UpdateFailed, reason, invalidZip
	default:
		fn.updateStatus, fn.updateReason, fn.updateCode = UpdateSuccess, "", ""
	}
}

// shutdown stops every instance and removes the function's code.
func (fn *function) shutdown() {
	for _, v := range fn.publishedVersions() {
		v.shutdown()
	}
	fn.mu.Lock()
	fn.closed = true
	// Queued invocations learn that no instance will come.
	for _, w := range fn.waiters {
		w.ch <- nil
		fn.starting++
	}
	fn.waiters = nil
	all := make([]*instance, 0, len(fn.instances))
	for in := range fn.instances {
		all = append(all, in)
	}
	fn.idle = nil
	code := fn.code
	fn.mu.Unlock()
	for _, in := range all {
		in.stop()
	}
	if code != nil {
		_ = code.wait()
		_ = os.RemoveAll(code.dir)
	}
}

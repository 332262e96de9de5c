package lambda

import (
	"sort"
	"time"
)

// FunctionInfo is a read-only copy of a function's configuration and its
// running instances, for the emulator's console. It is a snapshot: later
// changes to the function do not show in it.
type FunctionInfo struct {
	Name             string    `json:"name"`
	ARN              string    `json:"arn"`
	Runtime          string    `json:"runtime"`
	Handler          string    `json:"handler"`
	Role             string    `json:"role"`
	Description      string    `json:"description,omitempty"`
	TimeoutSeconds   int32     `json:"timeoutSeconds"`
	MemoryMB         int32     `json:"memoryMB"`
	CodeSize         int64     `json:"codeSize"`
	CodeSha256       string    `json:"codeSha256"`
	LastModified     time.Time `json:"lastModified"`
	State            string    `json:"state"`
	StateReason      string    `json:"stateReason,omitempty"`
	LastUpdateStatus string    `json:"lastUpdateStatus"`
	Architectures    []string  `json:"architectures"`
	// Binary is what the bootstrap was built for ("darwin/arm64
	// (Mach-O)") and BinaryNote what that means on this emulator; both are
	// empty while the code is being unpacked.
	Binary      string            `json:"binary,omitempty"`
	BinaryNote  string            `json:"binaryNote,omitempty"`
	Environment map[string]string `json:"environment,omitempty"`
	// ReservedConcurrency is nil when unset.
	ReservedConcurrency *int32         `json:"reservedConcurrency,omitempty"`
	Instances           []InstanceInfo `json:"instances"`
	// ColdStarts counts the instances ever started and PeakInstances the
	// most alive at once, so a load test can see how far the function
	// scaled out after idle ones were reaped.
	ColdStarts    int `json:"coldStarts"`
	PeakInstances int `json:"peakInstances"`
}

// FunctionInfos describes every function, ordered by name, with its
// instances ordered by id.
func (s *Service) FunctionInfos() []FunctionInfo {
	s.mu.Lock()
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	out := make([]FunctionInfo, 0, len(fns))
	for _, fn := range fns {
		out = append(out, fn.inspect())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (fn *function) inspect() FunctionInfo {
	fn.mu.Lock()
	info := FunctionInfo{
		Name: fn.name, ARN: fn.arn, Runtime: fn.runtime, Handler: fn.handler, Role: fn.role,
		Description: fn.description, TimeoutSeconds: fn.timeout, MemoryMB: fn.memory,
		CodeSize: fn.codeSize, CodeSha256: fn.codeSha256, LastModified: fn.lastModified,
		State: fn.state, StateReason: fn.stateReason, LastUpdateStatus: fn.updateStatus,
		Architectures: append([]string(nil), fn.architectures...),
		Environment:   copyEnv(fn.env),
		ColdStarts:    fn.coldStarts, PeakInstances: fn.peak,
	}
	if c := fn.code; c != nil && languageOf(fn.runtime) == nil {
		select {
		case <-c.ready:
			info.Binary, info.BinaryNote = c.binary, c.note
		default:
		}
	} else if c != nil {
		info.Binary, info.BinaryNote = fn.svc.interpreters.describe(fn.runtime)
	}
	if fn.reserved != nil {
		n := *fn.reserved
		info.ReservedConcurrency = &n
	}
	fn.mu.Unlock()
	info.Instances = fn.instanceInfos()
	sort.Slice(info.Instances, func(i, j int) bool { return info.Instances[i].ID < info.Instances[j].ID })
	return info
}

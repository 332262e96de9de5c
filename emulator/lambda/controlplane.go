package lambda

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

var validName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// activationDelay is how long a new function stays Pending. AWS takes
// seconds; a short but visible Pending keeps callers that skip the waiter
// honest, and the code unpacks meanwhile.
const activationDelay = 5 * time.Millisecond

func (s *Service) handleCreateFunction(w http.ResponseWriter, r *http.Request) {
	var in createFunctionRequest
	if !decodeBody(w, r, &in) {
		return
	}
	name := ptr.Value(in.FunctionName)
	if !validName.MatchString(name) {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue,
			fmt.Sprintf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (1-64 characters)", name)))
		return
	}
	if err := s.checkRuntime(in.Runtime); err != nil {
		awserr.Write(w, err)
		return
	}
	if languageOf(in.Runtime) != nil && ptr.Value(in.Handler) == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue,
			"The Handler parameter is required for runtime "+in.Runtime+": module.function, such as lambda_function.lambda_handler or index.handler"))
		return
	}
	if in.Code == nil {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "Code is required"))
		return
	}
	if err := validateZip(in.Code.ZipFile); err != nil {
		awserr.Write(w, err)
		return
	}
	fn := &function{
		svc:          s,
		name:         name,
		arn:          fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.regionOf(r), s.accountID, name),
		runtime:      in.Runtime,
		role:         ptr.Value(in.Role),
		handler:      ptr.Value(in.Handler),
		description:  ptr.Value(in.Description),
		timeout:      cmp.Or(ptr.Value(in.Timeout), 3),
		memory:       cmp.Or(ptr.Value(in.MemorySize), 128),
		env:          map[string]string{},
		state:        StatePending,
		stateReason:  "The function is being created.",
		stateCode:    "Creating",
		updateStatus: UpdateSuccess,
		lastModified: time.Now().UTC(),
		instances:    map[*instance]struct{}{},
	}
	if fn.handler == "" {
		fn.handler = "bootstrap"
	}
	if in.Environment != nil {
		fn.env = copyEnv(in.Environment.Variables)
	}
	fn.architectures = []string{"x86_64"}
	if len(in.Architectures) > 0 {
		fn.architectures = []string{in.Architectures[0]}
	}
	s.mu.Lock()
	if _, exists := s.functions[name]; exists {
		s.mu.Unlock()
		awserr.Write(w, awserr.New(http.StatusConflict, awserr.ResourceConflict, "Function already exist: "+name))
		return
	}
	s.functions[name] = fn
	s.mu.Unlock()
	fn.installCode(in.Code.ZipFile)
	cfg := fn.configuration()
	go s.activate(fn)
	s.log.Info("lambda function created", "function", name, "runtime", fn.runtime, "code_size", len(in.Code.ZipFile))
	awserr.WriteJSON(w, http.StatusCreated, cfg)
}

// activate moves the function from Pending to Active, as AWS does
// asynchronously after CreateFunction. The zip's directory was checked on
// create and its files unpack meanwhile (the first instance waits for
// them), so Active comes after the short delay, not after unpacking:
// CreateFunction → Active stays well under 100 ms. A package that then
// fails to unpack makes the function Failed (codeSettled), even if it was
// already Active.
func (s *Service) activate(fn *function) {
	time.Sleep(activationDelay)
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if fn.state == StatePending {
		fn.state, fn.stateReason, fn.stateCode = StateActive, "", ""
	}
}

func (s *Service) handleGetFunction(w http.ResponseWriter, r *http.Request) {
	fn, err := s.resolveQualified(r.PathValue("name"), r.URL.Query().Get("Qualifier"), false)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	doc := map[string]any{
		"Configuration": fn.configuration(),
		"Code":          map[string]string{"RepositoryType": "S3", "Location": codeLocation(r, fn)},
	}
	fn.mu.Lock()
	if fn.reserved != nil {
		doc["Concurrency"] = concurrencyDoc{ReservedConcurrentExecutions: fn.reserved}
	}
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, doc)
}

func (s *Service) handleGetFunctionConfiguration(w http.ResponseWriter, r *http.Request) {
	fn, err := s.resolveQualified(r.PathValue("name"), r.URL.Query().Get("Qualifier"), false)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	awserr.WriteJSON(w, http.StatusOK, fn.configuration())
}

func (s *Service) handleListFunctions(w http.ResponseWriter, r *http.Request) {
	list := []configuration{}
	for _, name := range s.Functions() {
		if fn, err := s.lookup(name); err == nil {
			list = append(list, fn.configuration())
		}
	}
	awserr.WriteJSON(w, http.StatusOK, map[string]any{"Functions": list})
}

func (s *Service) handleDeleteFunction(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query().Get("Qualifier")
	if q == "" {
		q = qualifierOf(r.PathValue("name"))
	}
	if q != "" && q != latestVersion {
		s.deleteVersion(w, fn, q)
		return
	}
	s.mu.Lock()
	delete(s.functions, fn.name)
	s.mu.Unlock()
	fn.shutdown()
	s.log.Info("lambda function deleted", "function", fn.name)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Service) handleUpdateFunctionCode(w http.ResponseWriter, r *http.Request) {
	var in updateFunctionCodeRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	if err := validateZip(in.ZipFile); err != nil {
		awserr.Write(w, err)
		return
	}
	fn.installCode(in.ZipFile)
	fn.mu.Lock()
	fn.lastModified = time.Now().UTC()
	fn.revision++
	fn.mu.Unlock()
	s.log.Info("lambda function code updated", "function", fn.name, "code_size", len(in.ZipFile))
	awserr.WriteJSON(w, http.StatusOK, fn.configuration())
}

func (s *Service) handleUpdateFunctionConfiguration(w http.ResponseWriter, r *http.Request) {
	var in updateFunctionConfigurationRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	if in.Runtime != "" {
		if err := s.checkRuntime(in.Runtime); err != nil {
			awserr.Write(w, err)
			return
		}
	}
	fn.mu.Lock()
	if in.Environment != nil {
		fn.env = copyEnv(in.Environment.Variables)
	}
	if in.Timeout != nil {
		fn.timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		fn.memory = *in.MemorySize
	}
	if in.Description != nil {
		fn.description = *in.Description
	}
	if in.Handler != nil {
		fn.handler = *in.Handler
	}
	if in.Role != nil {
		fn.role = *in.Role
	}
	if in.Runtime != "" {
		fn.runtime = in.Runtime
	}
	fn.lastModified = time.Now().UTC()
	fn.revision++
	// New settings apply to new instances only, as on AWS: retire the
	// idle ones now and the busy ones when they finish (release compares
	// generations). A busy instance kept its old environment before, so a
	// drill's COOLROOM_DRILL=slow outlived its restore.
	fn.gen++
	retired := fn.idle
	fn.idle = nil
	fn.mu.Unlock()
	for _, in := range retired {
		in.stop()
	}
	s.log.Info("lambda function configuration updated", "function", fn.name)
	awserr.WriteJSON(w, http.StatusOK, fn.configuration())
}

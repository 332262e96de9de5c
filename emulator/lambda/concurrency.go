package lambda

import (
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// concurrencyDoc is the JSON of Put/GetFunctionConcurrency.
type concurrencyDoc struct {
	ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions,omitempty"`
}

// limit is how many instances may run at once: the reserved concurrency
// when set (0 throttles every call, as on AWS), else the emulator's limit.
// Callers hold fn.mu.
func (fn *function) limit() int {
	if fn.reserved != nil {
		return int(*fn.reserved)
	}
	return fn.svc.maxConc
}

func (s *Service) handlePutFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	fn, err := s.lookup(r.PathValue("name"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	var in putFunctionConcurrencyRequest
	if err := awserr.DecodeJSON(r, &in, awserr.InvalidRequestContent); err != nil {
		awserr.Write(w, err)
		return
	}
	if in.ReservedConcurrentExecutions == nil || *in.ReservedConcurrentExecutions < 0 {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "ReservedConcurrentExecutions must be a number of 0 or more"))
		return
	}
	n := *in.ReservedConcurrentExecutions
	fn.mu.Lock()
	fn.reserved = &n
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, concurrencyDoc{ReservedConcurrentExecutions: &n})
}

func (s *Service) handleGetFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	fn, err := s.lookup(r.PathValue("name"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	fn.mu.Lock()
	doc := concurrencyDoc{ReservedConcurrentExecutions: fn.reserved}
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, doc)
}

func (s *Service) handleDeleteFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	fn, err := s.lookup(r.PathValue("name"))
	if err != nil {
		awserr.Write(w, err)
		return
	}
	fn.mu.Lock()
	fn.reserved = nil
	fn.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

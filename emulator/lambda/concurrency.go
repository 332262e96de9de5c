package lambda

import (
	"fmt"
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
)

// Throttle reasons, as Lambda names them in TooManyRequestsException.
const (
	reasonReserved = "ReservedFunctionConcurrentInvocationLimitExceeded"
	reasonAccount  = "ConcurrentInvocationLimitExceeded"
)

// concurrencyDoc is the JSON of Put/GetFunctionConcurrency.
type concurrencyDoc struct {
	ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions,omitempty"`
}

// admit counts one invocation against the concurrency AWS would allow, or
// throttles it exactly where AWS would: a function with reserved
// concurrency may run that many invocations at once (0 throttles every
// call); the others share what the account limit leaves after all
// reservations. The emulator's own cap on live processes is not checked
// here: it queues invocations instead (see acquire). The returned func
// gives the unit back.
func (s *Service) admit(fn *function) (done func(), err error) {
	fn.mu.Lock()
	reserved := fn.reserved
	fn.mu.Unlock()
	s.concMu.Lock()
	defer s.concMu.Unlock()
	if reserved != nil {
		if fn.inFlight >= int(*reserved) {
			return nil, throttled(reasonReserved)
		}
		fn.inFlight++
		return func() {
			s.concMu.Lock()
			fn.inFlight--
			s.concMu.Unlock()
		}, nil
	}
	if s.unreservedInFlight >= s.accountLimit-s.reservedTotal(nil) {
		return nil, throttled(reasonAccount)
	}
	fn.inFlight++
	s.unreservedInFlight++
	return func() {
		s.concMu.Lock()
		fn.inFlight--
		s.unreservedInFlight--
		s.concMu.Unlock()
	}, nil
}

// throttled is Lambda's answer to an invocation over a concurrency limit.
func throttled(reason string) error {
	e := awserr.New(http.StatusTooManyRequests, awserr.TooManyRequests, "Rate Exceeded.")
	e.Reason = reason
	return e
}

// reservedTotal sums the reserved concurrency of every function but skip.
func (s *Service) reservedTotal(skip *function) int {
	s.mu.Lock()
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		if fn != skip {
			fns = append(fns, fn)
		}
	}
	s.mu.Unlock()
	total := 0
	for _, fn := range fns {
		fn.mu.Lock()
		if fn.reserved != nil {
			total += int(*fn.reserved)
		}
		fn.mu.Unlock()
	}
	return total
}

// minUnreserved is what reservations must leave to the other functions:
// AWS keeps 100 of the default 1,000; a smaller configured limit keeps a
// tenth.
func (s *Service) minUnreserved() int {
	return min(100, s.accountLimit/10)
}

func (s *Service) handlePutFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	var in putFunctionConcurrencyRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	if in.ReservedConcurrentExecutions == nil || *in.ReservedConcurrentExecutions < 0 {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "ReservedConcurrentExecutions must be a number of 0 or more"))
		return
	}
	n := *in.ReservedConcurrentExecutions
	// Reservations come out of the account's limit, as on AWS.
	if left := s.accountLimit - s.reservedTotal(fn) - int(n); left < s.minUnreserved() {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue,
			fmt.Sprintf("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", s.minUnreserved())))
		return
	}
	fn.mu.Lock()
	fn.reserved = &n
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, concurrencyDoc{ReservedConcurrentExecutions: &n})
}

func (s *Service) handleGetFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	doc := concurrencyDoc{ReservedConcurrentExecutions: fn.reserved}
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, doc)
}

func (s *Service) handleDeleteFunctionConcurrency(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	fn.reserved = nil
	fn.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

package emulator_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/emulator"
)

// startEmulatorWith is startEmulator with a configuration; its client
// does not retry, so a test sees a throttle itself.
func startEmulatorWith(t *testing.T, cfg emulator.Config) (*emulator.Server, *lambda.Client, string) {
	t.Helper()
	emu, srv := serveEmulator(t, cfg)
	c := lambda.NewFromConfig(testConfig(), func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.RetryMaxAttempts = 1
	})
	return emu, c, srv.URL
}

// invokeConcurrently runs n sleeping invocations at once and returns each
// one's error: nil when the function answered without a function error.
func invokeConcurrently(c *lambda.Client, name string, n int, seconds float64) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name),
				Payload: fmt.Appendf(nil, `{"action":"sleep","seconds":%g}`, seconds)})
			if err == nil && out.FunctionError != nil {
				err = errors.New("function error: " + string(out.Payload))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	return errs
}

// throttleReasons counts the TooManyRequestsException reasons in errs and
// reports any other error.
func throttleReasons(t *testing.T, errs []error) map[types.ThrottleReason]int {
	t.Helper()
	reasons := map[types.ThrottleReason]int{}
	for _, err := range errs {
		var tooMany *types.TooManyRequestsException
		switch {
		case err == nil:
		case errors.As(err, &tooMany):
			reasons[tooMany.Reason]++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	return reasons
}

// TestLambdaInstanceCapQueuesInsteadOfThrottling: the emulator's cap on
// live processes is a resource limit, not AWS's concurrency limit, so
// calls beyond it wait for an instance and all succeed.
func TestLambdaInstanceCapQueuesInsteadOfThrottling(t *testing.T) {
	emu, c, base := startEmulatorWith(t, emulator.Config{LambdaMaxInstances: 2})
	createTestFunction(t, c, "capped", 30)
	errs := invokeConcurrently(c, "capped", 6, 0.3)
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d of 6 with a cap of 2 instances: %v", i, err)
		}
	}
	if n := len(emu.Lambda.Instances("capped")); n > 2 {
		t.Errorf("%d instances with a cap of 2", n)
	}
	// The console shows which invocations waited for an instance.
	var st struct {
		Functions []struct {
			Invocations []struct {
				QueuedMs float64 `json:"queuedMs"`
			} `json:"invocations"`
		} `json:"functions"`
	}
	getJSON(t, base+"/_console/api/state", &st)
	queued := 0
	for _, fn := range st.Functions {
		for _, inv := range fn.Invocations {
			if inv.QueuedMs > 0 {
				queued++
			}
		}
	}
	if queued < 4 {
		t.Errorf("%d of 6 invocations show queuedMs with 2 instances, want at least 4", queued)
	}
}

// TestLambdaThrottlesWhereAWSWould: reserved concurrency and the
// account's limit throttle with TooManyRequestsException and AWS's reason.
func TestLambdaThrottlesWhereAWSWould(t *testing.T) {
	_, c, _ := startEmulatorWith(t, emulator.Config{LambdaAccountConcurrency: 3})
	ctx := context.Background()
	createTestFunction(t, c, "reserved", 30)
	createTestFunction(t, c, "shared", 30)

	t.Run("reserved concurrency", func(t *testing.T) {
		if _, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
			FunctionName: aws.String("reserved"), ReservedConcurrentExecutions: aws.Int32(1)}); err != nil {
			t.Fatal(err)
		}
		reasons := throttleReasons(t, invokeConcurrently(c, "reserved", 3, 0.5))
		if reasons[types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded] != 2 || len(reasons) != 1 {
			t.Errorf("3 calls at reserved concurrency 1: throttles %v, want 2 ReservedFunctionConcurrentInvocationLimitExceeded", reasons)
		}
	})

	t.Run("account limit less the reservations", func(t *testing.T) {
		// The account allows 3; "reserved" keeps 1, so 2 are left to share.
		reasons := throttleReasons(t, invokeConcurrently(c, "shared", 4, 0.5))
		if reasons[types.ThrottleReasonConcurrentInvocationLimitExceeded] != 2 || len(reasons) != 1 {
			t.Errorf("4 calls with 2 unreserved: throttles %v, want 2 ConcurrentInvocationLimitExceeded", reasons)
		}
	})

	t.Run("a reservation cannot take the account's last units", func(t *testing.T) {
		_, err := c.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
			FunctionName: aws.String("shared"), ReservedConcurrentExecutions: aws.Int32(3)})
		var bad *types.InvalidParameterValueException
		if !errors.As(err, &bad) {
			t.Errorf("reserving more than the account has = %v, want InvalidParameterValueException", err)
		}
	})

	t.Run("nothing is throttled once the calls are done", func(t *testing.T) {
		for _, fn := range []string{"reserved", "shared"} {
			if errs := invokeConcurrently(c, fn, 1, 0.01); errs[0] != nil {
				t.Errorf("%s after the burst: %v", fn, errs[0])
			}
		}
	})
}

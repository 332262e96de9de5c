package emulator_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"log/slog"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/emulator"
)

func TestLambdaScaleOutAndReservedConcurrency(t *testing.T) {
	emu, srv, cfg := startEmulator(t)
	c := lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
		o.RetryMaxAttempts = 1 // see the throttle itself, not the SDK's retries
	})
	createTestFunction(t, c, "scale", 30)

	t.Run("concurrent calls scale out to separate instances", func(t *testing.T) {
		var wg sync.WaitGroup
		pids := make([]any, 3)
		start := time.Now()
		for i := range pids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pids[i] = invoke(t, c, "scale", map[string]any{"action": "sleep", "seconds": 0.5}).payload
			}()
		}
		wg.Wait()
		if took := time.Since(start); took > 1400*time.Millisecond {
			t.Errorf("3 concurrent 0.5 s calls took %s: they were serialised", took)
		}
		if n := len(emu.Lambda.Instances("scale")); n < 3 {
			t.Errorf("%d instances after 3 concurrent calls, want 3", n)
		}
	})

	t.Run("reserved concurrency throttles with TooManyRequestsException", func(t *testing.T) {
		if _, err := c.PutFunctionConcurrency(context.Background(), &lambda.PutFunctionConcurrencyInput{
			FunctionName: aws.String("scale"), ReservedConcurrentExecutions: aws.Int32(0),
		}); err != nil {
			t.Fatal(err)
		}
		_, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("scale"), Payload: []byte(`{}`)})
		var throttled *types.TooManyRequestsException
		if !errors.As(err, &throttled) {
			t.Errorf("invoke with reserved concurrency 0 = %v, want TooManyRequestsException", err)
		}
		got, err := c.GetFunctionConcurrency(context.Background(), &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("scale")})
		if err != nil || aws.ToInt32(got.ReservedConcurrentExecutions) != 0 || got.ReservedConcurrentExecutions == nil {
			t.Errorf("GetFunctionConcurrency = %+v, %v", got, err)
		}
		if _, err := c.DeleteFunctionConcurrency(context.Background(), &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("scale")}); err != nil {
			t.Fatal(err)
		}
		if out := invoke(t, c, "scale", map[string]string{"action": "echo"}); out.fnError != "" {
			t.Errorf("after removing the reservation: %v", out.payload)
		}
	})

	t.Run("UpdateFunctionCode retires warm instances", func(t *testing.T) {
		before := emu.Lambda.Instances("scale")
		if _, err := c.UpdateFunctionCode(context.Background(), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("scale"), ZipFile: testfnZipData(t)}); err != nil {
			t.Fatal(err)
		}
		w := lambda.NewFunctionUpdatedV2Waiter(c)
		if err := w.Wait(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("scale")}, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		for _, in := range before {
			waitProcessGone(t, in.PID)
		}
		pid := invoke(t, c, "scale", map[string]string{"action": "echo"}).payload["pid"]
		for _, in := range before {
			if float64(in.PID) == pid {
				t.Errorf("pid %d of the old code served after the update", in.PID)
			}
		}
	})
}

func TestLambdaIdleInstancesAreReaped(t *testing.T) {
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler), LambdaIdleTimeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer func() { srv.Close(); _ = emu.Shutdown(context.Background()) }()
	c := lambdaClient(srv, testConfig())
	createTestFunction(t, c, "idle", 10)
	invoke(t, c, "idle", map[string]string{"action": "echo"})
	infos := emu.Lambda.Instances("idle")
	if len(infos) != 1 {
		t.Fatalf("%d instances after one call", len(infos))
	}
	waitProcessGone(t, infos[0].PID)
	if n := len(emu.Lambda.Instances("idle")); n != 0 {
		t.Errorf("%d instances left after the idle timeout", n)
	}
	// The next call is a cold start that works.
	if out := invoke(t, c, "idle", map[string]string{"action": "echo"}); out.fnError != "" {
		t.Errorf("cold start after reaping failed: %v", out.payload)
	}
}

func TestLambdaInitFailureIsReported(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	createTestFunction(t, c, "initfail", 10)
	if _, err := c.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("initfail"), Environment: &types.Environment{Variables: map[string]string{"TESTFN_INIT_FAIL": "1"}},
	}); err != nil {
		t.Fatal(err)
	}
	out := invoke(t, c, "initfail", map[string]string{"action": "echo"})
	if out.fnError != "Unhandled" || out.payload["errorType"] != "Runtime.ExitError" {
		t.Errorf("init failure: FunctionError %q payload %v", out.fnError, out.payload)
	}
	if !strings.Contains(out.logTail, "testfn failing its init on purpose") {
		t.Errorf("init output missing from the log tail:\n%s", out.logTail)
	}
}

func TestLambdaRefusesBinaryForAnotherArchitecture(t *testing.T) {
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	// A minimal ELF header for the other architecture is enough: the
	// emulator must say so before trying to exec it.
	machine := uint16(183) // arm64
	if runtime.GOARCH == "arm64" {
		machine = 62 // x86_64
	}
	hdr := make([]byte, 64)
	copy(hdr, "\x7fELF\x02\x01\x01")
	binary.LittleEndian.PutUint16(hdr[18:], machine)
	binary.LittleEndian.PutUint32(hdr[20:], 1) // e_version, as in every real ELF file
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	fh := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	fh.SetMode(0o755)
	f, _ := zw.CreateHeader(fh)
	_, _ = f.Write(hdr)
	_ = zw.Close()
	if _, err := c.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
		FunctionName: aws.String("wrongarch"), Runtime: types.RuntimeProvidedal2023, Role: aws.String("r"),
		Code: &types.FunctionCode{ZipFile: buf.Bytes()},
	}); err != nil {
		t.Fatal(err)
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay = 50 * time.Millisecond })
	if err := w.Wait(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("wrongarch")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	out := invoke(t, c, "wrongarch", map[string]string{})
	msg, _ := out.payload["errorMessage"].(string)
	if out.fnError != "Unhandled" || out.payload["errorType"] != "Runtime.InvalidEntrypoint" || !strings.Contains(msg, "GOARCH") {
		t.Errorf("wrong-arch bootstrap: %q %v", out.fnError, out.payload)
	}
}

// waitProcessGone waits until pid no longer exists.
func waitProcessGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("process %d still running", pid)
}

// TestConfigurationUpdateRetiresBusyInstances: an instance that was busy
// while the configuration changed must not serve again with the old
// environment (a failure drill restored while a slow call was running
// kept answering slowly).
func TestConfigurationUpdateRetiresBusyInstances(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	createTestFunction(t, c, "gen", 30)
	busy := make(chan invokeOut, 1)
	go func() { busy <- invoke(t, c, "gen", map[string]any{"action": "sleep", "seconds": 1}) }()
	time.Sleep(300 * time.Millisecond) // the call is running in its instance
	if _, err := c.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("gen"), Environment: &types.Environment{Variables: map[string]string{"GREETING": "changed"}},
	}); err != nil {
		t.Fatal(err)
	}
	<-busy
	env, _ := invoke(t, c, "gen", map[string]string{"action": "env"}).payload["env"].(map[string]any)
	if env["GREETING"] != "changed" {
		t.Errorf("after the update an invocation saw GREETING=%v: the busy instance was reused with the old configuration", env["GREETING"])
	}
}

package emulator_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
)

var (
	testfnOnce sync.Once
	testfnZip  []byte
	testfnErr  error
)

// testfnZipData builds emulator/internal/testfn once as a real bootstrap zip.
func testfnZipData(t testing.TB) []byte {
	t.Helper()
	testfnOnce.Do(func() {
		root, err := deploy.FindModuleRoot(".")
		if err != nil {
			testfnErr = err
			return
		}
		testfnZip, testfnErr = deploy.BuildZip(context.Background(), root, "./emulator/internal/testfn", runtime.GOOS, runtime.GOARCH)
	})
	if testfnErr != nil {
		t.Fatal(testfnErr)
	}
	return testfnZip
}

func startEmulator(t testing.TB) (*emulator.Server, *httptest.Server, aws.Config) {
	t.Helper()
	emu, srv := serveEmulator(t, emulator.Config{})
	return emu, srv, testConfig()
}

// serveEmulator serves an emulator configured by cfg (its log discarded)
// until the test ends.
func serveEmulator(t testing.TB, cfg emulator.Config) (*emulator.Server, *httptest.Server) {
	t.Helper()
	cfg.Logger = slog.New(slog.DiscardHandler)
	emu, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Shutdown(context.Background())
	})
	return emu, srv
}

// testConfig is an SDK configuration with made-up credentials, signed for
// eu-west-1 so tests see the region taken from the signature.
func testConfig() aws.Config {
	return aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
}

func lambdaClient(srv *httptest.Server, cfg aws.Config) *lambda.Client {
	return lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}

func createTestFunction(t testing.TB, c *lambda.Client, name string, timeout int32) {
	t.Helper()
	ctx := context.Background()
	out, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name),
		Runtime:      types.RuntimeProvidedal2023,
		Handler:      aws.String("bootstrap"),
		Role:         aws.String("arn:aws:iam::000000000000:role/test"),
		Code:         &types.FunctionCode{ZipFile: testfnZipData(t)},
		Timeout:      aws.Int32(timeout),
		Environment:  &types.Environment{Variables: map[string]string{"GREETING": "hello"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.State != types.StatePending {
		t.Errorf("CreateFunction state = %s, want Pending (as AWS)", out.State)
	}
	if !strings.HasPrefix(aws.ToString(out.FunctionArn), "arn:aws:lambda:eu-west-1:000000000000:function:") {
		t.Errorf("ARN %s does not carry the signed region", aws.ToString(out.FunctionArn))
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay = 50 * time.Millisecond })
	if err := w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("FunctionActiveV2 waiter: %v", err)
	}
}

type invokeOut struct {
	payload  map[string]any
	fnError  string
	logTail  string
	duration time.Duration
}

func invoke(t *testing.T, c *lambda.Client, name string, event any) invokeOut {
	t.Helper()
	payload, _ := json.Marshal(event)
	start := time.Now()
	out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name), Payload: payload, LogType: types.LogTypeTail})
	if err != nil {
		t.Fatalf("Invoke %v: %v", event, err)
	}
	res := invokeOut{fnError: aws.ToString(out.FunctionError), duration: time.Since(start)}
	if err := json.Unmarshal(out.Payload, &res.payload); err != nil {
		t.Fatalf("payload %q: %v", out.Payload, err)
	}
	if out.LogResult != nil {
		b, _ := base64.StdEncoding.DecodeString(*out.LogResult)
		res.logTail = string(b)
	}
	return res
}

func TestLambdaLifecycleWithSDK(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	createTestFunction(t, c, "fn", 1)

	t.Run("environment as AWS sets it", func(t *testing.T) {
		out := invoke(t, c, "fn", map[string]string{"action": "env"})
		env, _ := out.payload["env"].(map[string]any)
		for k, want := range map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "eu-west-1",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "_HANDLER": "bootstrap", "GREETING": "hello",
		} {
			if env[k] != want {
				t.Errorf("%s = %v, want %q", k, env[k], want)
			}
		}
		if api, _ := env["AWS_LAMBDA_RUNTIME_API"].(string); !strings.HasPrefix(api, "127.0.0.1:") {
			t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", api)
		}
		if env["LAMBDA_TASK_ROOT"] != out.payload["cwd"] {
			t.Errorf("LAMBDA_TASK_ROOT %v is not the working directory %v", env["LAMBDA_TASK_ROOT"], out.payload["cwd"])
		}
		if pid := int(out.payload["pid"].(float64)); pid == os.Getpid() {
			t.Error("function ran in the test process")
		}
	})

	t.Run("warm instance is reused", func(t *testing.T) {
		a := invoke(t, c, "fn", map[string]string{"action": "echo"})
		b := invoke(t, c, "fn", map[string]string{"action": "echo"})
		if a.payload["pid"] != b.payload["pid"] {
			t.Errorf("two sequential invocations ran in processes %v and %v", a.payload["pid"], b.payload["pid"])
		}
		if !strings.Contains(b.logTail, "START RequestId:") || !strings.Contains(b.logTail, "REPORT RequestId:") ||
			!strings.Contains(b.logTail, `testfn handling "echo"`) {
			t.Errorf("log tail lacks START/REPORT or the function's output:\n%s", b.logTail)
		}
	})

	t.Run("handler error is Unhandled with the runtime's document", func(t *testing.T) {
		out := invoke(t, c, "fn", map[string]string{"action": "error"})
		if out.fnError != "Unhandled" || out.payload["errorMessage"] != "testfn failed on purpose" {
			t.Errorf("got FunctionError %q payload %v", out.fnError, out.payload)
		}
	})

	t.Run("crash is Runtime.ExitError and the next call gets a new process", func(t *testing.T) {
		before := invoke(t, c, "fn", map[string]string{"action": "echo"}).payload["pid"]
		out := invoke(t, c, "fn", map[string]string{"action": "crash"})
		if out.fnError != "Unhandled" || out.payload["errorType"] != "Runtime.ExitError" {
			t.Errorf("crash: FunctionError %q payload %v", out.fnError, out.payload)
		}
		if msg, _ := out.payload["errorMessage"].(string); !strings.Contains(msg, "Runtime exited with error: exit status 3") {
			t.Errorf("crash message = %q", msg)
		}
		after := invoke(t, c, "fn", map[string]string{"action": "echo"}).payload["pid"]
		if after == before {
			t.Errorf("after a crash the same pid %v served again", after)
		}
	})

	t.Run("timeout kills the instance", func(t *testing.T) {
		out := invoke(t, c, "fn", map[string]any{"action": "sleep", "seconds": 5})
		if out.fnError != "Unhandled" || !strings.Contains(fmt.Sprint(out.payload["errorMessage"]), "Task timed out after 1.00 seconds") {
			t.Errorf("timeout: FunctionError %q payload %v", out.fnError, out.payload)
		}
		if out.duration > 4*time.Second {
			t.Errorf("timed-out invocation took %s, the 1 s timeout was not enforced", out.duration)
		}
	})

	t.Run("UpdateFunctionConfiguration reaches new instances", func(t *testing.T) {
		_, err := c.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{
			FunctionName: aws.String("fn"), Environment: &types.Environment{Variables: map[string]string{"GREETING": "bonjour"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		env := invoke(t, c, "fn", map[string]string{"action": "env"}).payload["env"].(map[string]any)
		if env["GREETING"] != "bonjour" {
			t.Errorf("GREETING = %v after update", env["GREETING"])
		}
	})

	t.Run("DryRun and Event", func(t *testing.T) {
		for typ, want := range map[types.InvocationType]int32{types.InvocationTypeDryRun: 204, types.InvocationTypeEvent: 202} {
			out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String("fn"), InvocationType: typ, Payload: []byte(`{}`)})
			if err != nil {
				t.Fatal(err)
			}
			if out.StatusCode != want {
				t.Errorf("%s: status %d, want %d", typ, out.StatusCode, want)
			}
		}
	})

	t.Run("unknown function is ResourceNotFoundException", func(t *testing.T) {
		_, err := c.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("nope")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("GetFunction(nope) = %v, want ResourceNotFoundException", err)
		}
		_, err = c.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
			FunctionName: aws.String("fn"), Runtime: types.RuntimeProvidedal2023, Role: aws.String("r"),
			Code: &types.FunctionCode{ZipFile: testfnZipData(t)},
		})
		var conflict *types.ResourceConflictException
		if !errors.As(err, &conflict) {
			t.Errorf("creating fn twice = %v, want ResourceConflictException", err)
		}
	})
}

package emulator_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/emulator"
)

// The python3.x and nodejs runtimes run the handler in a zip made here on
// the machine's interpreter, through the emulator's embedded runtime
// clients, and answer as AWS's runtimes do.

// zipOf zips files (name → content) as a deployment package.
func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// needInterpreter skips, with one line, where the machine lacks command.
func needInterpreter(t testing.TB, command string) {
	t.Helper()
	if _, err := exec.LookPath(command); err != nil {
		t.Skipf("%s is not installed: the %s runtime tests need it (apt-get install %s)", command, command, map[string]string{"python3": "python3", "node": "nodejs"}[command])
	}
}

// createLanguageFunction creates a function of runtime from files and
// waits until it is Active.
func createLanguageFunction(t testing.TB, c *lambda.Client, name string, runtime types.Runtime, handler string, timeout int32, files map[string]string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: runtime, Handler: aws.String(handler),
		Role: aws.String("arn:aws:iam::000000000000:role/test"), Code: &types.FunctionCode{ZipFile: zipOf(t, files)},
		Timeout: aws.Int32(timeout), MemorySize: aws.Int32(256),
	}); err != nil {
		t.Fatalf("CreateFunction %s (%s): %v", name, runtime, err)
	}
	w := lambda.NewFunctionActiveV2Waiter(c, func(o *lambda.FunctionActiveV2WaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("FunctionActiveV2 waiter: %v", err)
	}
}

// languageInvoke is one RequestResponse call with its tail of the log.
type languageInvoke struct {
	status  int32
	fnError string
	payload map[string]any
	raw     string
	log     string
}

func invokeLanguage(t *testing.T, c *lambda.Client, name string, event any, typ types.InvocationType) languageInvoke {
	t.Helper()
	payload, _ := json.Marshal(event)
	out, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name), Payload: payload,
		LogType: types.LogTypeTail, InvocationType: typ})
	if err != nil {
		t.Fatalf("Invoke %s %v: %v", name, event, err)
	}
	res := languageInvoke{status: out.StatusCode, fnError: aws.ToString(out.FunctionError), raw: string(out.Payload)}
	if typ != types.InvocationTypeEvent {
		if err := json.Unmarshal(out.Payload, &res.payload); err != nil {
			t.Fatalf("payload %q: %v", out.Payload, err)
		}
	}
	if out.LogResult != nil {
		b, _ := base64.StdEncoding.DecodeString(*out.LogResult)
		res.log = string(b)
	}
	return res
}

const pythonHandler = `import logging, os, time

logger = logging.getLogger()
logger.setLevel(logging.INFO)
count = 0  # module state lives as long as the warm process


def lambda_handler(event, context):
    global count
    count += 1
    if event.get("fail"):
        raise ValueError("boom: " + event["fail"])
    if event.get("sleep"):
        time.sleep(event["sleep"])
    print("hello from python", context.aws_request_id)
    logger.info("info line %d", count)
    return {"count": count, "pid": os.getpid(), "event": event, "name": context.function_name,
            "arn": context.invoked_function_arn, "remaining": context.get_remaining_time_in_millis(),
            "memory": context.memory_limit_in_mb, "group": context.log_group_name,
            "stream": context.log_stream_name, "requestId": context.aws_request_id}


def http_handler(event, context):
    return {"statusCode": 201, "headers": {"content-type": "text/plain"},
            "body": event["requestContext"]["http"]["method"] + " " + event["rawPath"] + " " + event["version"]}
`

const nodeHandler = `let count = 0; // module state lives as long as the warm process

exports.handler = async (event, context) => {
  count++;
  if (event.fail) throw new TypeError("boom: " + event.fail);
  if (event.sleep) await new Promise((r) => setTimeout(r, event.sleep * 1000));
  console.log("hello from node", context.awsRequestId);
  return { count, pid: process.pid, event, name: context.functionName, arn: context.invokedFunctionArn,
    remaining: context.getRemainingTimeInMillis(), memory: context.memoryLimitInMB, group: context.logGroupName,
    stream: context.logStreamName, requestId: context.awsRequestId };
};

exports.http = async (event) => ({ statusCode: 201, headers: { "content-type": "text/plain" },
  body: event.requestContext.http.method + " " + event.rawPath + " " + event.version });
`

// forEachLanguage runs test, in parallel, for each language case the
// machine has an interpreter for, against an emulator of its own.
func forEachLanguage(t *testing.T, test func(t *testing.T, lc languageCase, emu *emulator.Server, srv *httptest.Server, cfg aws.Config, c *lambda.Client)) {
	for _, lc := range languageCases {
		t.Run(lc.runtime, func(t *testing.T) {
			t.Parallel()
			needInterpreter(t, lc.command)
			emu, srv, cfg := startEmulator(t)
			test(t, lc, emu, srv, cfg, lambdaClient(srv, cfg))
		})
	}
}

// languageCase is one runtime's function and the names AWS's runtime of
// that language uses.
type languageCase struct {
	command, runtime, handler, httpHandler string
	files                                  map[string]string
	errorType                              string // what the handler raises
	traceKey, traceWant                    string // the stack trace's key and a frame it names
	missingModule, missingHandler          string
	logLine                                string
}

var languageCases = []languageCase{
	{command: "python3", runtime: "python3.12", handler: "lambda_function.lambda_handler", httpHandler: "lambda_function.http_handler",
		files: map[string]string{"lambda_function.py": pythonHandler}, errorType: "ValueError",
		traceKey: "stackTrace", traceWant: "lambda_function.py", missingModule: "nomodule.handler", missingHandler: "lambda_function.nope",
		logLine: "[INFO]"},
	{command: "node", runtime: "nodejs20.x", handler: "index.handler", httpHandler: "index.http",
		files: map[string]string{"index.js": nodeHandler}, errorType: "TypeError",
		traceKey: "trace", traceWant: "index.js", missingModule: "nomodule.handler", missingHandler: "index.nope",
		logLine: "\tINFO\thello from node"},
}

func TestLambdaLanguageRuntimes(t *testing.T) {
	forEachLanguage(t, func(t *testing.T, lc languageCase, emu *emulator.Server, srv *httptest.Server, cfg aws.Config, c *lambda.Client) {
		createLanguageFunction(t, c, "fn", types.Runtime(lc.runtime), lc.handler, 3, lc.files)

		// A synchronous call: the result, the context object, the logs.
		first := invokeLanguage(t, c, "fn", map[string]any{"n": 1}, types.InvocationTypeRequestResponse)
		p := first.payload
		if first.fnError != "" || p["count"] != 1.0 || p["name"] != "fn" || p["memory"] != "256" ||
			p["group"] != "/aws/lambda/fn" || !strings.Contains(p["arn"].(string), ":function:fn") ||
			!strings.Contains(p["stream"].(string), "[$LATEST]") {
			t.Fatalf("first invocation = %s (error %q)", first.raw, first.fnError)
		}
		if rem := p["remaining"].(float64); rem <= 0 || rem > 3000 {
			t.Errorf("remaining time %v ms, want within the 3 s timeout", rem)
		}
		id := p["requestId"].(string)
		for _, want := range []string{"START RequestId: " + id, "hello from " + strings.TrimSuffix(lc.command, "3") + " " + id, lc.logLine, "END RequestId: " + id, "REPORT RequestId: " + id, "Init Duration: "} {
			if !strings.Contains(first.log, want) {
				t.Errorf("log tail lacks %q:\n%s", want, first.log)
			}
		}

		// The console says which interpreter runs it, and whether it is
		// the version the runtime names.
		out, _ := exec.Command(lc.command, "--version").CombinedOutput()
		version := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(string(out)), "Python "), "v")
		infos := emu.Lambda.FunctionInfos()
		want := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(lc.runtime, "python"), "nodejs"), ".x")
		differs := !strings.HasPrefix(version+".", want+".")
		if len(infos) != 1 || !strings.Contains(infos[0].Binary, version) || strings.Contains(infos[0].BinaryNote, "instead") != differs {
			t.Errorf("console: %+v, want the interpreter %s named (differs from %s: %v)", infos, version, lc.runtime, differs)
		}

		// Warm: the same process answers, its module state kept.
		second := invokeLanguage(t, c, "fn", map[string]any{"n": 2}, types.InvocationTypeRequestResponse)
		if second.payload["count"] != 2.0 || second.payload["pid"] != p["pid"] {
			t.Fatalf("second invocation = %s, want count 2 from pid %v (a warm process)", second.raw, p["pid"])
		}
		if strings.Contains(second.log, "Init Duration") {
			t.Errorf("a warm invocation's REPORT has an Init Duration:\n%s", second.log)
		}

		// An error raised by the handler, in AWS's shape; the process stays.
		failed := invokeLanguage(t, c, "fn", map[string]any{"fail": "x"}, types.InvocationTypeRequestResponse)
		trace, _ := failed.payload[lc.traceKey].([]any)
		if failed.fnError != "Unhandled" || failed.payload["errorType"] != lc.errorType || failed.payload["errorMessage"] != "boom: x" ||
			len(trace) == 0 || !strings.Contains(failed.raw, lc.traceWant) {
			t.Fatalf("handler error = %s (X-Amz-Function-Error %q), want %s \"boom: x\" with a %s naming %s",
				failed.raw, failed.fnError, lc.errorType, lc.traceKey, lc.traceWant)
		}
		if !strings.Contains(failed.log, "boom: x") {
			t.Errorf("the error is not in the log:\n%s", failed.log)
		}

		// Event: accepted at once, run in the background on the warm process.
		if ev := invokeLanguage(t, c, "fn", map[string]any{"n": 4}, types.InvocationTypeEvent); ev.status != http.StatusAccepted {
			t.Fatalf("Event invocation status %d, want 202", ev.status)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			ins := emu.Lambda.Instances("fn")
			if len(ins) == 1 && ins[0].Invocations == 4 && !ins[0].Busy {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the Event call did not run on the warm instance: %+v", ins)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if next := invokeLanguage(t, c, "fn", map[string]any{}, types.InvocationTypeRequestResponse); next.payload["count"] != 5.0 || next.payload["pid"] != p["pid"] {
			t.Fatalf("after an error and an Event call: %s, want count 5 from pid %v", next.raw, p["pid"])
		}

		// A timeout kills the process; the next call starts a new one.
		slow := invokeLanguage(t, c, "fn", map[string]any{"sleep": 5}, types.InvocationTypeRequestResponse)
		if slow.fnError != "Unhandled" || slow.payload["errorType"] != "Sandbox.Timedout" ||
			!strings.Contains(slow.payload["errorMessage"].(string), "Task timed out after 3.00 seconds") {
			t.Fatalf("timeout = %s", slow.raw)
		}
		after := invokeLanguage(t, c, "fn", map[string]any{}, types.InvocationTypeRequestResponse)
		if after.payload["count"] != 1.0 || after.payload["pid"] == p["pid"] {
			t.Fatalf("after a timeout = %s, want a new process (count 1)", after.raw)
		}
	})
}

// Handlers that cannot be loaded answer with AWS's Runtime.* error types.
func TestLambdaLanguageInitErrors(t *testing.T) {
	forEachLanguage(t, func(t *testing.T, lc languageCase, emu *emulator.Server, srv *httptest.Server, cfg aws.Config, c *lambda.Client) {
		for name, handler := range map[string]string{"nomod": lc.missingModule, "nofn": lc.missingHandler, "badname": "nodot"} {
			createLanguageFunction(t, c, name, types.Runtime(lc.runtime), handler, 3, lc.files)
		}
		for name, want := range map[string][2]string{
			"nomod":   {"Runtime.ImportModuleError", "nomodule"},
			"nofn":    {"Runtime.HandlerNotFound", "nope"},
			"badname": {"Runtime.MalformedHandlerName", "nodot"},
		} {
			res := invokeLanguage(t, c, name, map[string]any{}, types.InvocationTypeRequestResponse)
			if res.fnError != "Unhandled" || res.payload["errorType"] != want[0] || !strings.Contains(res.payload["errorMessage"].(string), want[1]) {
				t.Errorf("%s: %s, want %s naming %q", name, res.raw, want[0], want[1])
			}
		}
	})
}

// Node handlers in the other forms AWS accepts: callback style, an ES
// module (.mjs), and a nested path.
func TestLambdaNodeHandlerForms(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "node")
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	files := map[string]string{
		"cb.js":         `exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { style: "callback", n: event.n }), 5); };`,
		"cberr.js":      `exports.handler = (event, context, callback) => callback(new RangeError("cb failed"));`,
		"esm.mjs":       `export const handler = async (event) => ({ style: "esm", n: event.n });`,
		"src/deep.js":   `module.exports.run = async (event) => ({ style: "nested", n: event.n });`,
		"src/deep.json": `{}`,
	}
	for name, handler := range map[string]string{"cb": "cb.handler", "cberr": "cberr.handler", "esm": "esm.handler", "deep": "src/deep.run"} {
		createLanguageFunction(t, c, name, types.RuntimeNodejs22x, handler, 3, files)
	}
	for name, want := range map[string]string{"cb": "callback", "esm": "esm", "deep": "nested"} {
		res := invokeLanguage(t, c, name, map[string]any{"n": 7}, types.InvocationTypeRequestResponse)
		if res.fnError != "" || res.payload["style"] != want || res.payload["n"] != 7.0 {
			t.Errorf("%s: %s, want style %s", name, res.raw, want)
		}
	}
	res := invokeLanguage(t, c, "cberr", map[string]any{}, types.InvocationTypeRequestResponse)
	if res.fnError != "Unhandled" || res.payload["errorType"] != "RangeError" || res.payload["errorMessage"] != "cb failed" {
		t.Errorf("callback error: %s", res.raw)
	}
}

// Through an HTTP API (payload 2.0), as a browser or curl reaches them.
func TestLambdaLanguageRuntimesBehindHTTPAPI(t *testing.T) {
	forEachLanguage(t, func(t *testing.T, lc languageCase, emu *emulator.Server, srv *httptest.Server, cfg aws.Config, c *lambda.Client) {
		createLanguageFunction(t, c, "web", types.Runtime(lc.runtime), lc.httpHandler, 3, lc.files)
		url := quickAPI(t, srv.URL, cfg, "web") + "/rooms/42"
		resp, err := http.Post(url, "text/plain", strings.NewReader("hi"))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated || string(body) != "POST /rooms/42 2.0" || resp.Header.Get("Content-Type") != "text/plain" {
			t.Fatalf("POST %s = %d %q (%s), want 201 \"POST /rooms/42 2.0\"", url, resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
	})
}

// quickAPI puts function name behind a quick-created HTTP API and returns
// its invoke URL (path form).
func quickAPI(t testing.TB, base string, cfg aws.Config, name string) string {
	t.Helper()
	ctx := context.Background()
	lc := lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(base) })
	fn, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	gw := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(base) })
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String(name), ProtocolType: "HTTP", Target: fn.Configuration.FunctionArn})
	if err != nil {
		t.Fatal(err)
	}
	return base + "/_aws/execute-api/" + aws.ToString(api.ApiId)
}

// A missing interpreter is refused at CreateFunction, saying what to
// install and which variable names another one; nothing is created.
func TestLambdaLanguageRuntimeWithoutInterpreter(t *testing.T) {
	t.Parallel()
	_, srv := serveEmulator(t, emulator.Config{LambdaPython: "/nonexistent/python3", LambdaNode: "/nonexistent/node"})
	c := lambdaClient(srv, testConfig())
	for runtime, want := range map[types.Runtime][]string{
		types.RuntimePython313: {"apt-get install python3", "COOLROOM_PYTHON", "/nonexistent/python3"},
		types.RuntimeNodejs22x: {"apt-get install nodejs", "COOLROOM_NODE", "/nonexistent/node"},
	} {
		_, err := c.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
			FunctionName: aws.String("f"), Runtime: runtime, Handler: aws.String("index.handler"),
			Role: aws.String("arn:aws:iam::000000000000:role/test"), Code: &types.FunctionCode{ZipFile: zipOf(t, map[string]string{"index.js": ""})},
		})
		var invalid *types.InvalidParameterValueException
		if !errors.As(err, &invalid) {
			t.Fatalf("%s without its interpreter: %v, want InvalidParameterValueException", runtime, err)
		}
		for _, w := range want {
			if !strings.Contains(invalid.ErrorMessage(), w) {
				t.Errorf("%s: message %q does not say %q", runtime, invalid.ErrorMessage(), w)
			}
		}
	}
	if out, err := c.ListFunctions(context.Background(), &lambda.ListFunctionsInput{}); err != nil || len(out.Functions) != 0 {
		t.Fatalf("ListFunctions after refused creates: %v, %v; want none", out, err)
	}
}

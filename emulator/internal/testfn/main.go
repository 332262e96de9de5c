// Command testfn is a Lambda function for the emulator's own tests. It is
// built as a real bootstrap and does what its event asks: echo, fail, crash,
// sleep past its timeout, report its environment, or answer API Gateway.
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

// request is the union of a direct invocation ({"action": …}) and an API
// Gateway event, whose last path segment names the action.
type request struct {
	Action  string  `json:"action"`
	Seconds float64 `json:"seconds"`
	RawPath string  `json:"rawPath"`
	Path    string  `json:"path"`
}

func handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	action := req.Action
	isHTTP := false
	if p := req.RawPath + req.Path; p != "" {
		isHTTP = true
		action = p[strings.LastIndex(p, "/")+1:]
	}
	fmt.Printf("testfn handling %q\n", action)
	switch action {
	case "crash":
		fmt.Println("testfn crashing on purpose")
		os.Exit(3)
	case "error":
		return nil, errors.New("testfn failed on purpose")
	case "sleep":
		d := time.Duration(req.Seconds * float64(time.Second))
		if d == 0 {
			d = 2 * time.Second
		}
		time.Sleep(d)
	case "env":
		env := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		wd, _ := os.Getwd()
		return map[string]any{"env": env, "pid": os.Getpid(), "cwd": wd}, nil
	case "plain":
		return map[string]string{"hello": "world"}, nil
	case "binary":
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/octet-stream"},
			Body: base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 255}), IsBase64Encoded: true}, nil
	case "badshape":
		return events.APIGatewayV2HTTPResponse{StatusCode: 42}, nil
	}
	if isHTTP {
		return events.APIGatewayV2HTTPResponse{
			StatusCode: 201,
			Headers:    map[string]string{"Content-Type": "application/json", "X-Testfn": "yes"},
			Cookies:    []string{"a=1; Path=/", "b=2; HttpOnly"},
			Body:       string(raw),
		}, nil
	}
	return map[string]any{"echo": raw, "pid": os.Getpid()}, nil
}

func main() {
	// TESTFN_INIT_FAIL makes the init phase fail, before the runtime loop.
	if os.Getenv("TESTFN_INIT_FAIL") == "1" {
		fmt.Println("testfn failing its init on purpose")
		os.Exit(2)
	}
	lambda.Start(handle)
}

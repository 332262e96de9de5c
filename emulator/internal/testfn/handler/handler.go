// Package handler is the test function's handler, importable so that
// benchmarks can run the very same code behind a plain HTTP server.
//
// The event (a direct invocation {"action": …} or an API Gateway event whose
// last path segment names the action) asks to echo, fail, crash, sleep past
// the timeout, report the environment, allocate memory, or answer API Gateway
// (or, given a Lambda authorizer's event, to authorize).
package handler

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
)

// request is the union of a direct invocation ({"action": …}) and an API
// Gateway event, whose last path segment names the action.
type request struct {
	Action  string  `json:"action"`
	Seconds float64 `json:"seconds"`
	MB      int     `json:"mb"` // for "alloc"
	RawPath string  `json:"rawPath"`
	Path    string  `json:"path"`
	// RequestContext.RequestID is API Gateway's request id, which the
	// function logs as the data service does, so the console can find the
	// log line by it.
	RequestContext struct {
		RequestID string `json:"requestId"`
	} `json:"requestContext"`
	// Type "REQUEST" is a Lambda authorizer's event; IdentitySource holds
	// the identity values, the first of which decides (see authorize).
	Type           string   `json:"type"`
	IdentitySource []string `json:"identitySource"`
}

// authorize answers as a REQUEST authorizer, by the first identity value:
// "allow" (simple response with context), "policy" (an IAM policy that
// allows), "error" (fails); anything else is refused.
func authorize(req request) (any, error) {
	identity := ""
	if len(req.IdentitySource) > 0 {
		identity = req.IdentitySource[0]
	}
	switch identity {
	case "allow":
		return map[string]any{"isAuthorized": true, "context": map[string]any{"user": "alice", "level": 3}}, nil
	case "policy":
		return map[string]any{"principalId": "alice", "context": map[string]any{"user": "alice"},
			"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}}}}, nil
	case "error":
		return nil, errors.New("testfn authorizer failed on purpose")
	}
	return map[string]any{"isAuthorized": false}, nil
}

// Handle does what the event asks (see the package comment).
func Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var req request
	if err := json.Unmarshal(raw, &req); err != nil {
		return nil, err
	}
	if req.Type == "REQUEST" {
		return authorize(req)
	}
	action := req.Action
	isHTTP := false
	if p := req.RawPath + req.Path; p != "" {
		isHTTP = true
		action = p[strings.LastIndex(p, "/")+1:]
	}
	if action != "plain" { // "plain" is the benchmark's action: measure the trip, not logging
		if id := req.RequestContext.RequestID; id != "" {
			fmt.Printf("testfn handling %q apigw_request_id=%s\n", action, id)
		} else {
			fmt.Printf("testfn handling %q\n", action)
		}
	}
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
	case "alloc": // touch MB megabytes, so the process's peak memory grows by that much
		buf := make([]byte, req.MB<<20)
		for i := 0; i < len(buf); i += 4096 {
			buf[i] = 1
		}
		return map[string]int{"touched": len(buf)}, nil
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

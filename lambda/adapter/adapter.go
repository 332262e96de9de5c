// Package adapter turns API Gateway proxy events into calls of an
// http.Handler. One Lambda function serves both event formats: HTTP APIs
// send payload format 2.0, REST APIs (and HTTP APIs configured for it)
// send 1.0, and each must get its own response shape back.
package adapter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// ErrUnsupportedEvent is returned for an event that is neither payload
// format 2.0 nor 1.0, such as a direct invocation with arbitrary JSON.
var ErrUnsupportedEvent = errors.New("adapter: unsupported event: want an API Gateway proxy event (payload format 2.0 or 1.0)")

// Adapter dispatches raw Lambda events to an http.Handler.
type Adapter struct {
	v1 *httpadapter.HandlerAdapter
	v2 *httpadapter.HandlerAdapterV2
}

// New returns an Adapter over h.
func New(h http.Handler) *Adapter {
	return &Adapter{v1: httpadapter.New(h), v2: httpadapter.NewV2(h)}
}

// probe holds just enough of an event to tell the formats apart: 2.0
// events say "version":"2.0"; 1.0 events (REST APIs send no version at
// all) carry a top-level httpMethod, which 2.0 events lack.
type probe struct {
	Version    string `json:"version"`
	HTTPMethod string `json:"httpMethod"`
}

// Handle is the Lambda handler: it decodes raw as the event format it is
// and returns the matching response type (events.APIGatewayV2HTTPResponse
// or events.APIGatewayProxyResponse), which the runtime marshals to JSON.
// Pass it to lambda.Start.
func (a *Adapter) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var p probe
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedEvent, err)
	}
	switch {
	case p.Version == "2.0":
		var ev events.APIGatewayV2HTTPRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("adapter: decode payload 2.0 event: %w", err)
		}
		ev.RawPath = stripStage(ev.RawPath, ev.RequestContext.Stage)
		ev.RequestContext.HTTP.Path = stripStage(ev.RequestContext.HTTP.Path, ev.RequestContext.Stage)
		return a.v2.ProxyWithContext(ctx, ev)
	case p.HTTPMethod != "":
		var ev events.APIGatewayProxyRequest
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("adapter: decode payload 1.0 event: %w", err)
		}
		if p.Version == "1.0" {
			// Only HTTP APIs send a version; REST APIs already strip
			// the stage from path.
			ev.Path = stripStage(ev.Path, ev.RequestContext.Stage)
		}
		return a.v1.ProxyWithContext(ctx, ev)
	default:
		return nil, ErrUnsupportedEvent
	}
}

// stripStage removes a named stage's leading segment from an HTTP API
// path. HTTP APIs serve the $default stage at the root, but a named stage
// such as "dev" arrives as "/dev/rooms"; the handler's routes never include
// the stage, so the same function works whichever stage fronts it.
func stripStage(path, stage string) string {
	if stage == "" || stage == "$default" {
		return path
	}
	prefix := "/" + stage
	if path == prefix {
		return "/"
	}
	if strings.HasPrefix(path, prefix+"/") {
		return path[len(prefix):]
	}
	return path
}

package dataapi

import (
	"context"
	"net/http"
	"sync"
)

// Calls collects the API Gateway request ids of the data-API calls made
// while serving one page, so the app's log line for that page names them:
// searching one id then finds the page, the API Gateway call and the
// Lambda invocation (the emulator's console shows the same id).
type Calls struct {
	mu  sync.Mutex
	ids []string
}

type callsKey struct{}

// WithCalls returns a context that records the calls made with it.
func WithCalls(ctx context.Context) (context.Context, *Calls) {
	c := &Calls{}
	return context.WithValue(ctx, callsKey{}, c), c
}

// IDs returns the recorded API Gateway request ids in call order.
func (c *Calls) IDs() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids...)
}

// record notes the API Gateway request id of a response, if the context
// carries a collector and the gateway sent one.
func record(ctx context.Context, resp *http.Response) {
	c, _ := ctx.Value(callsKey{}).(*Calls)
	id := resp.Header.Get("Apigw-Requestid")
	if c == nil || id == "" {
		return
	}
	c.mu.Lock()
	c.ids = append(c.ids, id)
	c.mu.Unlock()
}

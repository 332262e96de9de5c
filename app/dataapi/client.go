// Package dataapi is the web app's client for the data service, called over
// HTTP through the API Gateway invoke URL, never in-process. The bodies it
// sends and reads are package contract's types, the same the service
// compiles against.
package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// Client calls the data API at its base URL (the API Gateway invoke URL).
// A Client is safe for concurrent use; As returns a copy that
// authenticates as a user.
type Client struct {
	baseURL string
	http    *http.Client
	token   string
}

// idleConnsPerGateway is how many idle connections to API Gateway the
// client keeps. Go's default transport keeps two per host, but the app
// makes calls side by side (three per home page, more across users), so
// with two the third connection was closed after every home page and
// dialled again on the next: a new TCP connection, on the page's
// critical path, for most page views under load.
const idleConnsPerGateway = 64

// New returns a client for the API at baseURL. A nil httpClient gets one
// with a timeout just above API Gateway's 30-second integration limit
// that keeps enough connections open for the calls the app makes at once.
func New(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConns = max(t.MaxIdleConns, idleConnsPerGateway)
		t.MaxIdleConnsPerHost = idleConnsPerGateway
		httpClient = &http.Client{Timeout: 35 * time.Second, Transport: t}
	}
	return &Client{baseURL: strings.TrimSuffix(baseURL, "/"), http: httpClient}
}

// As returns a client that sends token as its bearer token; "" gives an
// anonymous client.
func (c *Client) As(token string) *Client {
	cp := *c
	cp.token = token
	return &cp
}

// do sends one request. Service errors come back as *contract.Error; a failure of
// the path itself (network, gateway 5xx, non-JSON, the service's own
// internal/unavailable) as ErrUnavailable, because the user can only retry.
// A read (GET) that API Gateway answers with its own error, which is what a
// Lambda throttle looks like, is tried once more after a short pause:
// reading twice changes nothing.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := c.baseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	status, data, err := c.send(ctx, method, u, payload)
	if err == nil && method == http.MethodGet && isGatewayRefusal(status, data) {
		select {
		case <-time.After(retryPause()):
		case <-ctx.Done():
			return fmt.Errorf("%w: %s %s: %v", ErrUnavailable, method, path, ctx.Err())
		}
		status, data, err = c.send(ctx, method, u, payload)
	}
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrUnavailable, method, path, err)
	}
	if status >= 200 && status < 300 {
		if out == nil || status == http.StatusNoContent {
			return nil
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%w: %s %s answered unreadable JSON: %v", ErrUnavailable, method, path, err)
		}
		return nil
	}
	var e contract.ErrorResponse
	if json.Unmarshal(data, &e) == nil && e.Error != nil && e.Error.Code != "" &&
		e.Error.Code != contract.CodeInternal && e.Error.Code != contract.CodeUnavailable {
		e.Error.Status = status
		return e.Error
	}
	// API Gateway's own {"message":"Internal Server Error"}, a 503, or a
	// data-service 500.
	return fmt.Errorf("%w: %s %s answered %d: %s", ErrUnavailable, method, path, status, truncate(data, 200))
}

// send makes one HTTP exchange and returns the status and body.
func (c *Client) send(ctx context.Context, method, u string, payload []byte) (int, []byte, error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if calls := CallsFrom(ctx); calls != nil && calls.requestID != "" {
		req.Header.Set(RequestIDHeader, calls.requestID)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	record(ctx, resp, start)
	if err != nil {
		return 0, nil, fmt.Errorf("reading the answer: %w", err)
	}
	return resp.StatusCode, data, nil
}

// isGatewayRefusal reports whether API Gateway itself answered that it
// could not get the function to run: a 500 or 429 with the gateway's
// {"message": …} body rather than the data service's {"error": …}. A Lambda
// throttle reaches the app this way (HTTP and REST APIs both answer 500).
func isGatewayRefusal(status int, data []byte) bool {
	if status != http.StatusInternalServerError && status != http.StatusTooManyRequests {
		return false
	}
	var msg struct {
		Message *string `json:"message"`
	}
	return json.Unmarshal(data, &msg) == nil && msg.Message != nil
}

// retryPause is 50–100 ms, jittered so throttled readers do not return
// in step.
func retryPause() time.Duration {
	return 50*time.Millisecond + rand.N(50*time.Millisecond)
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func id(n int64) string { return fmt.Sprint(n) }

// setInt puts a positive number into v; zero means "not given".
func setInt(v url.Values, key string, n int64) {
	if n > 0 {
		v.Set(key, id(n))
	}
}

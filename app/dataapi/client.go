// Package dataapi is the web app's client for the data service, called over
// HTTP through the API Gateway invoke URL, never in-process.
package dataapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coolroom/testbed/lambda/service"
)

// ErrUnavailable means the data service could not answer: API Gateway or
// the Lambda failed, timed out, or could not be reached.
var ErrUnavailable = errors.New("the data service is unavailable")

// Client calls the data API at BaseURL (the API Gateway invoke URL).
type Client struct {
	baseURL string
	http    *http.Client
}

// New returns a client for the API at baseURL. A nil httpClient gets one
// with a timeout just above API Gateway's 30-second integration limit.
func New(baseURL string, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 35 * time.Second}
	}
	return &Client{baseURL: strings.TrimSuffix(baseURL, "/"), http: httpClient}
}

// ListRooms returns one page of rooms matching q.
func (c *Client) ListRooms(ctx context.Context, q string, page int) (*service.RoomPage, error) {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	var out service.RoomPage
	return &out, c.do(ctx, http.MethodGet, "/rooms", v, nil, &out)
}

// ListTopics returns the topics matching q with their room counts.
func (c *Client) ListTopics(ctx context.Context, q string) (*service.TopicList, error) {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	var out service.TopicList
	return &out, c.do(ctx, http.MethodGet, "/topics", v, nil, &out)
}

// CreateRoom creates a room; validation problems come back as a
// *service.Error with Fields.
func (c *Client) CreateRoom(ctx context.Context, in service.NewRoom) (*service.Room, error) {
	var out service.Room
	return &out, c.do(ctx, http.MethodPost, "/rooms", nil, in, &out)
}

// Health checks the data service end to end (API Gateway, Lambda, Postgres).
func (c *Client) Health(ctx context.Context) error {
	var out service.Health
	return c.do(ctx, http.MethodGet, "/health", nil, nil, &out)
}

// do sends one request. Service errors come back as *service.Error; a
// failure of the path itself (network, gateway 5xx, non-JSON) as ErrUnavailable.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := c.baseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrUnavailable, method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%w: reading %s %s: %v", ErrUnavailable, method, path, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%w: %s %s answered unreadable JSON: %v", ErrUnavailable, method, path, err)
		}
		return nil
	}
	var e service.ErrorResponse
	if json.Unmarshal(data, &e) == nil && e.Error != nil && e.Error.Code != "" && e.Error.Code != service.CodeInternal && e.Error.Code != service.CodeUnavailable {
		return e.Error
	}
	// API Gateway's own {"message":"Internal Server Error"}, a 503, or a
	// data-service 500: the user can only retry.
	return fmt.Errorf("%w: %s %s answered %d: %s", ErrUnavailable, method, path, resp.StatusCode, truncate(data, 200))
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

package dataapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
)

func TestErrorsAreSortedIntoServiceErrorsAndUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		body        string
		code        contract.ErrorCode
		unavailable bool
	}{
		{"validation", 422, `{"error":{"code":"validation_failed","message":"bad","fields":{"name":"is required"}}}`, contract.CodeValidationFailed, false},
		{"forbidden", 403, `{"error":{"code":"forbidden","message":"not yours"}}`, contract.CodeForbidden, false},
		{"API Gateway's own 500", 500, `{"message":"Internal Server Error"}`, contract.CodeUnavailable, true},
		{"API Gateway timeout", 503, `{"message":"Service Unavailable"}`, contract.CodeUnavailable, true},
		{"service internal error", 500, `{"error":{"code":"internal","message":"internal error"}}`, contract.CodeUnavailable, true},
		{"not JSON", 502, `<html>bad gateway</html>`, contract.CodeUnavailable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotAuth string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAuth = r.Header.Get("Authorization")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := New(srv.URL+"/", nil).As("tok").CreateRoom(context.Background(), contract.NewRoom{Name: "x"})
			if gotAuth != "Bearer tok" {
				t.Errorf("Authorization %q", gotAuth)
			}
			if CodeOf(err) != tc.code || errors.Is(err, ErrUnavailable) != tc.unavailable {
				t.Errorf("err = %v: code %q unavailable %v", err, CodeOf(err), errors.Is(err, ErrUnavailable))
			}
			if tc.code == contract.CodeValidationFailed && FieldsOf(err)["name"] != "is required" {
				t.Errorf("fields %v", FieldsOf(err))
			}
		})
	}
}

func TestUnreachableServiceIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	if _, err := New(url, nil).ListRooms(context.Background(), RoomQuery{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("closed port: %v", err)
	}
}

func TestNoContentAndQueries(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Method + " " + r.URL.RequestURI()
		if r.Method == http.MethodDelete {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		_, _ = w.Write([]byte(`{"rooms":[],"total":0,"page":2,"per_page":20}`))
	}))
	defer srv.Close()
	c := New(srv.URL, nil)
	if err := c.DeleteRoom(context.Background(), 7); err != nil || got != "DELETE /rooms/7" {
		t.Errorf("delete: %v %q", err, got)
	}
	if _, err := c.ListRooms(context.Background(), RoomQuery{Q: "a b", Host: 3, Page: 2}); err != nil || got != "GET /rooms?host=3&page=2&q=a+b" {
		t.Errorf("list: %v %q", err, got)
	}
}

// TestThrottledReadIsTriedOnceMore: a GET that API Gateway refuses (a
// Lambda throttle arrives as its own 500) is sent once more; writes and
// the service's own errors are not repeated.
func TestThrottledReadIsTriedOnceMore(t *testing.T) {
	for _, tc := range []struct {
		name      string
		answers   []string // status:body per call; the last repeats
		call      func(*Client) error
		wantCalls int
		wantOK    bool
	}{
		{"read succeeds on the second try", []string{`500:{"message":"Internal Server Error"}`, `200:{"rooms":[]}`},
			func(c *Client) error { _, err := c.ListRooms(context.Background(), RoomQuery{}); return err }, 2, true},
		{"REST API's refusal too", []string{`500:{"message": "Internal server error"}`, `200:{"rooms":[]}`},
			func(c *Client) error { _, err := c.ListRooms(context.Background(), RoomQuery{}); return err }, 2, true},
		{"only once", []string{`500:{"message":"Internal Server Error"}`},
			func(c *Client) error { _, err := c.ListRooms(context.Background(), RoomQuery{}); return err }, 2, false},
		{"a write is never repeated", []string{`500:{"message":"Internal Server Error"}`, `201:{}`},
			func(c *Client) error {
				_, err := c.CreateRoom(context.Background(), contract.NewRoom{Name: "x"})
				return err
			}, 1, false},
		{"the service's own error is an answer", []string{`500:{"error":{"code":"internal","message":"internal error"}}`, `200:{"rooms":[]}`},
			func(c *Client) error { _, err := c.ListRooms(context.Background(), RoomQuery{}); return err }, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := tc.answers[min(calls, len(tc.answers)-1)]
				calls++
				status, body, _ := strings.Cut(a, ":")
				code, _ := strconv.Atoi(status)
				w.WriteHeader(code)
				_, _ = w.Write([]byte(body))
			}))
			defer srv.Close()
			err := tc.call(New(srv.URL, nil))
			if calls != tc.wantCalls || (err == nil) != tc.wantOK {
				t.Errorf("%d calls, err %v; want %d calls, ok %v", calls, err, tc.wantCalls, tc.wantOK)
			}
			if err != nil && !errors.Is(err, ErrUnavailable) {
				t.Errorf("err %v, want ErrUnavailable", err)
			}
		})
	}
}

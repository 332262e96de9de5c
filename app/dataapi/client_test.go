package dataapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestErrorsAreSortedIntoServiceErrorsAndUnavailable(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		body        string
		code        string
		unavailable bool
	}{
		{"validation", 422, `{"error":{"code":"validation_failed","message":"bad","fields":{"name":"is required"}}}`, CodeValidationFailed, false},
		{"forbidden", 403, `{"error":{"code":"forbidden","message":"not yours"}}`, CodeForbidden, false},
		{"API Gateway's own 500", 500, `{"message":"Internal Server Error"}`, "", true},
		{"API Gateway timeout", 503, `{"message":"Service Unavailable"}`, "", true},
		{"service internal error", 500, `{"error":{"code":"internal","message":"internal error"}}`, "", true},
		{"not JSON", 502, `<html>bad gateway</html>`, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gotAuth string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotAuth = r.Header.Get("Authorization")
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := New(srv.URL+"/", nil).As("tok").CreateRoom(context.Background(), RoomInput{Name: "x"})
			if gotAuth != "Bearer tok" {
				t.Errorf("Authorization %q", gotAuth)
			}
			if CodeOf(err) != tc.code || errors.Is(err, ErrUnavailable) != tc.unavailable {
				t.Errorf("err = %v: code %q unavailable %v", err, CodeOf(err), errors.Is(err, ErrUnavailable))
			}
			if tc.code == CodeValidationFailed && FieldsOf(err)["name"] != "is required" {
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

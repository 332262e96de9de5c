package dataapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

func TestCallsRecordAPIGatewayRequestIDs(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Apigw-Requestid", []string{"", "AbCdEf1=", "GhIjKl2="}[n%3])
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"topics":[],"total_rooms":0}`))
	}))
	defer srv.Close()
	c := New(srv.URL, nil)
	ctx, calls := WithCalls(context.Background())
	for i := 0; i < 3; i++ {
		if _, err := c.ListTopics(ctx, ""); err != nil {
			t.Fatal(err)
		}
	}
	if got := calls.IDs(); !slices.Equal(got, []string{"AbCdEf1=", "GhIjKl2="}) {
		t.Errorf("recorded ids = %q", got)
	}
	if _, err := c.ListTopics(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
}

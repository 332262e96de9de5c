package dataapi

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCallsSideBySideReuseConnections: a home page makes three calls at
// once, page after page. The client must keep those connections open
// between pages rather than dial API Gateway again for each one.
func TestCallsSideBySideReuseConnections(t *testing.T) {
	var dialled atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond) // so the three calls overlap
		_, _ = w.Write([]byte(`{"rooms":[],"total":0,"page":1,"per_page":20}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dialled.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := New(srv.URL, nil)
	const pages, callsPerPage = 20, 3
	for range pages {
		var wg sync.WaitGroup
		for range callsPerPage {
			wg.Go(func() {
				if _, err := c.ListRooms(context.Background(), RoomQuery{Page: 1}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	// Each page's calls may open at most as many connections as run at
	// once; a client that kept only two idle dialled about once a page.
	if n := dialled.Load(); n > 2*callsPerPage {
		t.Errorf("%d pages of %d calls at once opened %d connections, want at most %d", pages, callsPerPage, n, 2*callsPerPage)
	}
}

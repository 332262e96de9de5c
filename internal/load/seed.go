package load

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// SeedRooms creates n rooms through the app, as one registered user with
// eight requests at a time, so the home page can be measured with many
// rooms (the 1,000). They spread over ten topics.
func SeedRooms(ctx context.Context, baseURL string, n int, progress io.Writer) error {
	rec := newRecorder()
	run := strconv.FormatInt(time.Now().UnixNano()%1e10, 36)
	u := &user{base: baseURL, rec: rec, name: "seed" + run}
	password := "Quiet-lantern-42-river"
	u.newBrowser()
	if _, err := u.form(ctx, ActRegister, "/register", url.Values{"name": {"Seed " + run}, "username": {u.name},
		"email": {u.name + "@load.example"}, "password": {password}, "password2": {password}}, "/"); err != nil {
		return fmt.Errorf("seed rooms: %w", err)
	}
	var next, failed atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n) && ctx.Err() == nil; i = next.Add(1) {
				_, err := u.form(ctx, ActCreate, "/create-room", url.Values{"name": {fmt.Sprintf("Seeded room %d (%s)", i, run)},
					"topic": {fmt.Sprintf("Seed topic %d", i%10)}, "description": {"Created by coolroom load -rooms"}}, "/room/")
				if err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, err)
				}
				if progress != nil && i%50 == 0 {
					fmt.Fprintf(progress, "\r  seeded %d/%d rooms   ", i, n)
				}
			}
		}()
	}
	wg.Wait()
	if progress != nil {
		fmt.Fprintln(progress)
	}
	if f := failed.Load(); f > 0 {
		return fmt.Errorf("seed rooms: %d of %d failed, first: %v", f, n, first.Load())
	}
	return ctx.Err()
}

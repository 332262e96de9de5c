package console

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	"github.com/coolroom/testbed/internal/drill"
)

// drillState is the last drill run from the console, shown at the top of
// the page until the next one.
type drillState struct {
	mu   sync.Mutex
	last *drillRun
}

// drillRun is a drill's report and when it ran.
type drillRun struct {
	drill.Report
	At    time.Time
	Error string
}

// handleDrill runs a failure drill on a function: POST /_console/drill
// with function and drill (crash, slow, throttle, dbdown, restore). The
// emulator's guard has already refused it if a browser sent it for
// another site; the console's own page posts same-origin. The drill goes
// through the Lambda API, as `coolroom drill` does from outside.
func (c *Console) handleDrill(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	fn, kind := r.PostForm.Get("function"), r.PostForm.Get("drill")
	if !drill.Valid(kind) || fn == "" {
		http.Error(w, "want function and drill (crash, slow, throttle, dbdown or restore)", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	rep, err := drill.Run(ctx, lambdaAPI{c.fns}, fn, kind)
	run := &drillRun{Report: rep, At: time.Now()}
	if err != nil {
		run.Error = err.Error()
		c.log.Warn("console: drill failed", "function", fn, "drill", kind, "err", err)
	} else {
		c.log.Info("console: drill", "function", fn, "drill", kind)
	}
	c.drills.mu.Lock()
	c.drills.last = run
	c.drills.mu.Unlock()
	c.rec.notify()
	if r.Header.Get("Accept") == "application/json" {
		writeJSON(w, run)
		return
	}
	http.Redirect(w, r, Prefix+"/#drill", http.StatusSeeOther)
}

func (c *Console) lastDrill() *drillRun {
	c.drills.mu.Lock()
	defer c.drills.mu.Unlock()
	return c.drills.last
}

// lambdaAPI is drill.API over the emulator's own Lambda API, called in
// process: the same handlers, validation and effects as an SDK call.
type lambdaAPI struct{ h http.Handler }

func (a lambdaAPI) call(ctx context.Context, method, path string, in, out any) error {
	var body bytes.Buffer
	if in != nil {
		if err := json.NewEncoder(&body).Encode(in); err != nil {
			return err
		}
	}
	req := httptest.NewRequestWithContext(ctx, method, path, &body)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		var e struct{ Message string }
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return fmt.Errorf("%s %s: %d %s", method, path, rec.Code, e.Message)
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

func fnPath(version, name, suffix string) string {
	return "/" + version + "/functions/" + url.PathEscape(name) + suffix
}

func (a lambdaAPI) GetFunction(ctx context.Context, name string) (drill.Function, error) {
	var out struct {
		Configuration struct {
			Timeout     int32
			Environment *struct{ Variables map[string]string }
		}
		Concurrency *struct{ ReservedConcurrentExecutions *int32 }
	}
	if err := a.call(ctx, http.MethodGet, fnPath("2015-03-31", name, ""), nil, &out); err != nil {
		return drill.Function{}, err
	}
	f := drill.Function{Timeout: out.Configuration.Timeout}
	if e := out.Configuration.Environment; e != nil {
		f.Env = e.Variables
	}
	if out.Concurrency != nil {
		f.Reserved = out.Concurrency.ReservedConcurrentExecutions
	}
	return f, nil
}

func (a lambdaAPI) UpdateConfiguration(ctx context.Context, name string, env map[string]string, timeout int32) error {
	in := map[string]any{"Environment": map[string]any{"Variables": env}, "Timeout": timeout}
	return a.call(ctx, http.MethodPut, fnPath("2015-03-31", name, "/configuration"), in, nil)
}

func (a lambdaAPI) PutConcurrency(ctx context.Context, name string, n int32) error {
	return a.call(ctx, http.MethodPut, fnPath("2017-10-31", name, "/concurrency"), map[string]int32{"ReservedConcurrentExecutions": n}, nil)
}

func (a lambdaAPI) DeleteConcurrency(ctx context.Context, name string) error {
	return a.call(ctx, http.MethodDelete, fnPath("2017-10-31", name, "/concurrency"), nil, nil)
}

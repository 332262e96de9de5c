package deploy_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/coolroom/testbed/deploy"
)

// TestDeployRESTFlavour deploys the data service behind a REST API proxy —
// what LocalStack Community gets — on our emulator, which speaks REST v1
// too, and calls it through API Gateway.
func TestDeployRESTFlavour(t *testing.T) {
	t.Parallel()
	env := newRoutesEnv(t)
	ctx := context.Background()
	cfg := env.cfg(deploy.FlavourREST, "rest")
	res, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Flavour != deploy.FlavourREST || res.InvokeURL != env.url+"/_aws/execute-api/"+res.APIID+"/api" {
		t.Fatalf("flavour %q invoke URL %q", res.Flavour, res.InvokeURL)
	}
	for path, want := range map[string]int{"/health": 200, "/rooms": 200, "/topics": 200, "/no-such-route": 404} {
		resp, err := http.Get(res.InvokeURL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || !json.Valid(body) {
			t.Errorf("GET %s through the REST API = %d %s, want %d with JSON", path, resp.StatusCode, body, want)
		}
	}
	if url, err := deploy.New(cfg).Lookup(ctx); err != nil || url != res.InvokeURL {
		t.Errorf("Lookup = %q, %v; want %q", url, err, res.InvokeURL)
	}
	again, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changed) != 0 || again.InvokeURL != res.InvokeURL {
		t.Errorf("second REST deploy changed %v", again.Changed)
	}

	removed, err := deploy.New(cfg).Destroy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Errorf("Destroy removed %v, want the REST API, the function and the bucket", removed)
	}
	if _, body, _ := call(t, http.MethodGet, env.url+"/_console/api/state"); strings.Contains(body, cfg.FunctionName) {
		t.Errorf("function %s left after Destroy", cfg.FunctionName)
	}
	if resp, err := http.Get(res.InvokeURL + "/health"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("the API still answers %d after Destroy", resp.StatusCode)
		}
	}
	if again, err := deploy.New(cfg).Destroy(ctx); err != nil || len(again) != 0 {
		t.Errorf("second Destroy = %v, %v; want nothing to do", again, err)
	}
}

package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/pgtemp"
)

// TestDeployRESTFlavour deploys the data service behind a REST API proxy —
// what LocalStack Community gets — on our emulator, which speaks REST v1
// too, and calls it through API Gateway.
func TestDeployRESTFlavour(t *testing.T) {
	if _, err := pgtemp.FindBinDir(); errors.Is(err, pgtemp.ErrNoBinaries) {
		t.Skip(err)
	}
	ctx := context.Background()
	pg, err := pgtemp.Start(ctx, pgtemp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Stop()
	var logs bytes.Buffer
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer func() { srv.Close(); _ = emu.Shutdown(ctx) }()
	defer func() {
		if t.Failed() {
			t.Logf("emulator log:\n%s", logs.String())
		}
	}()
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	cfg := deploy.Config{
		AWS:          aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")},
		EndpointURL:  srv.URL,
		SourceDir:    root,
		GOOS:         runtime.GOOS, // the emulator runs it natively
		GOARCH:       runtime.GOARCH,
		FunctionName: "rest-data",
		APIName:      "rest-api",
		Bucket:       "rest-static",
		Flavour:      deploy.FlavourREST,
		Env:          map[string]string{"DATABASE_URL": pg.URL(), "TOKEN_SECRET": "a-test-secret-of-32-characters!!"},
	}
	res, err := deploy.New(cfg).Deploy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Flavour != deploy.FlavourREST || res.InvokeURL != srv.URL+"/_aws/execute-api/"+res.APIID+"/api" {
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
	if n := len(emu.Lambda.Functions()); n != 0 {
		t.Errorf("%d functions left after Destroy", n)
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

// syncWriter serialises writes from the emulator's goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

package deploy_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator"
)

// `coolroom deploy` to our emulator builds for the platform the emulator
// says it runs natively; LocalStack says nothing, so Linux it is.
func TestEmulatorPlatform(t *testing.T) {
	emu, err := emulator.New(emulator.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Shutdown(context.Background())
	})
	goos, goarch, ok := deploy.EmulatorPlatform(context.Background(), srv.URL+"/")
	if !ok || goos != runtime.GOOS || goarch != runtime.GOARCH {
		t.Errorf("our emulator: %q/%q ok=%v, want %s/%s", goos, goarch, ok, runtime.GOOS, runtime.GOARCH)
	}

	localstack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"services":{"lambda":"running"},"edition":"community","version":"4.14.0"}`))
	}))
	defer localstack.Close()
	if goos, goarch, ok := deploy.EmulatorPlatform(context.Background(), localstack.URL); ok {
		t.Errorf("LocalStack's health gave %s/%s; want no platform (build for linux)", goos, goarch)
	}
}

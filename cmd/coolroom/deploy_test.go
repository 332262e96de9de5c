package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/pgtemp"
	"github.com/coolroom/testbed/internal/stack"
	"github.com/coolroom/testbed/internal/syncbuf"
)

// startEmulator serves an emulator on a free loopback port until the test
// ends and returns its URL.
func startEmulator(t *testing.T) string {
	t.Helper()
	emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = emu.Serve(ln) }()
	t.Cleanup(func() { _ = emu.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

// startPostgres starts a throwaway PostgreSQL for the test, or skips.
func startPostgres(t *testing.T) string {
	t.Helper()
	pg, err := pgtemp.Start(context.Background(), pgtemp.Options{})
	if errors.Is(err, pgtemp.ErrNoBinaries) {
		t.Skipf("needs PostgreSQL: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	return pg.URL()
}

// TestDeployAndDestroyOnTheEmulator runs what compose's deploy job runs
// (`coolroom deploy` from the environment, the secret from a _FILE) against
// a real emulator and PostgreSQL, building the Lambda from this checkout:
// the data API answers its health check through API Gateway, the function
// gets the database URL and the token secret, the names carry the run id,
// `app` serves pages through it, and `destroy` removes them all.
func TestDeployAndDestroyOnTheEmulator(t *testing.T) {
	endpoint, dbURL := startEmulator(t), startPostgres(t)
	secretFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(secretFile, []byte("token-secret-from-a-file-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"COOLROOM_TARGET": "emulator", "AWS_ENDPOINT_URL": endpoint, "COOLROOM_RUN_ID": "T1",
		"DATABASE_URL":               dbURL,
		"COOLROOM_TOKEN_SECRET_FILE": secretFile, "COOLROOM_LOG_LEVEL": "warn"}

	code, out, errOut := runMain(t, env, "deploy")
	if code != exitOK {
		t.Fatalf("deploy: exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Deployed to emulator", "Data API: " + endpoint, "Bucket:   coolroom-static-t1"} {
		if !strings.Contains(out, want) {
			t.Errorf("deploy printed no %q:\n%s", want, out)
		}
	}
	awsCfg, err := stack.AWSConfig(context.Background(), "emulator", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	fn, err := lambda.NewFromConfig(awsCfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(endpoint) }).
		GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("coolroom-data-t1")})
	if err != nil {
		t.Fatalf("the deployed function: %v", err)
	}
	if got := fn.Environment.Variables; got["DATABASE_URL"] != env["DATABASE_URL"] || got["TOKEN_SECRET"] != "token-secret-from-a-file-0123456789" {
		t.Errorf("function environment %v: want DATABASE_URL and the secret from COOLROOM_TOKEN_SECRET_FILE", got)
	}

	// `coolroom app`, as compose's replicas run it: it finds the data API by
	// name and serves pages that reach the function through API Gateway,
	// until it is stopped.
	appEnv := maps.Clone(env)
	appEnv["COOLROOM_APP_ADDR"] = freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var appErr syncbuf.Buffer
	exited := make(chan int, 1)
	go func() { exited <- Main(ctx, []string{"app"}, config.Map(appEnv), io.Discard, &appErr) }()
	if err := waitOK(ctx, "http://"+appEnv["COOLROOM_APP_ADDR"]+"/", exited); err != nil {
		t.Fatalf("coolroom app: %v\n%s", err, appErr.String())
	}
	cancel()
	if code := <-exited; code != exitOK {
		t.Errorf("coolroom app stopped with exit %d\n%s", code, appErr.String())
	}

	code, out, errOut = runMain(t, env, "destroy")
	if code != exitOK {
		t.Fatalf("destroy: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "Removed from emulator: ") || !strings.Contains(out, "coolroom-data-t1") || !strings.Contains(out, "coolroom-static-t1") {
		t.Errorf("destroy printed %q", out)
	}
}

// waitOK polls url until it answers 200, giving up after a minute or when
// the server's command exits.
func waitOK(ctx context.Context, url string, exited <-chan int) error {
	client := &http.Client{Timeout: 10 * time.Second}
	var last error
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case code := <-exited:
			return fmt.Errorf("exited with %d before answering", code)
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		last = fmt.Errorf("status %d", resp.StatusCode)
	}
	return fmt.Errorf("%s never answered 200: %v", url, last)
}

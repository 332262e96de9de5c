package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/coolroom/testbed/emulator"
	"github.com/coolroom/testbed/internal/pgtemp"
	"github.com/coolroom/testbed/internal/stack"
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
// and `destroy` removes them all.
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

	code, out, errOut = runMain(t, env, "destroy")
	if code != exitOK {
		t.Fatalf("destroy: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(out, "Removed from emulator: ") || !strings.Contains(out, "coolroom-data-t1") || !strings.Contains(out, "coolroom-static-t1") {
		t.Errorf("destroy printed %q", out)
	}
}

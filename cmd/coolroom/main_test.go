package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolroom/testbed/internal/config"
)

// runMain runs the CLI in this process with env as its whole environment.
func runMain(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Main(context.Background(), args, config.Map(env), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestHelpShowsCommandsAndEveryVariable: `coolroom help` (and no command
// at all) prints the commands and every variable of internal/config, with
// its default and the _FILE form of each secret.
func TestHelpShowsCommandsAndEveryVariable(t *testing.T) {
	for _, args := range [][]string{{"help"}, {}, {"--help"}} {
		code, out, _ := runMain(t, nil, args...)
		if code != exitOK {
			t.Errorf("coolroom %v: exit %d", args, code)
		}
		for _, want := range []string{"coolroom up [--empty]", "coolroom deploy", "COOLROOM_SESSION_SECRET_FILE", "[127.0.0.1:8000]"} {
			if !strings.Contains(out, want) {
				t.Errorf("coolroom %v does not show %q", args, want)
			}
		}
		for _, v := range config.Vars {
			if !strings.Contains(out, "  "+v.Name+" ") {
				t.Errorf("coolroom %v does not list %s", args, v.Name)
			}
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	code, out, errOut := runMain(t, nil, "stat")
	if code != exitUsage || out != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, out, exitUsage)
	}
	if !strings.HasPrefix(errOut, `coolroom: unknown command "stat"`) || !strings.Contains(errOut, "Usage:") {
		t.Errorf("stderr: %s", errOut)
	}
}

// TestBadConfigurationIsAnError: a bad variable stops the command with a
// message naming every bad one (the old loader exited the process from
// inside on an unreadable _FILE, and ignored an unknown log level).
func TestBadConfigurationIsAnError(t *testing.T) {
	code, _, errOut := runMain(t, map[string]string{"COOLROOM_TOKEN_SECRET_FILE": "/nonexistent/token", "COOLROOM_LOG_LEVEL": "chatty"}, "deploy")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	for _, want := range []string{"coolroom deploy: configuration", "COOLROOM_TOKEN_SECRET_FILE", "/nonexistent/token", `COOLROOM_LOG_LEVEL="chatty"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not say %q:\n%s", want, errOut)
		}
	}
}

// TestArgumentErrors: each command refuses arguments it does not take,
// saying how to call it, before doing anything.
func TestArgumentErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"up", "--bare"}, "usage: coolroom up [--empty]"},
		{[]string{"up", "now"}, `unexpected argument "now" (usage: coolroom up [--empty])`},
		{[]string{"emulator", "--port", "1"}, `unexpected argument "--port"`},
		{[]string{"deploy", "aws"}, `unexpected argument "aws"`},
		{[]string{"destroy", "all"}, `unexpected argument "all"`},
		{[]string{"app", "x"}, `unexpected argument "x"`},
		{[]string{"package"}, "usage: coolroom package -o FILE.zip"},
		{[]string{"package", "lambda.zip"}, "usage: coolroom package -o FILE.zip"},
		{[]string{"drill"}, "usage: coolroom drill crash|slow|throttle|dbdown|restore"},
		{[]string{"drill", "flood"}, "usage: coolroom drill crash|slow|throttle|dbdown|restore"},
		{[]string{"secrets"}, "usage: coolroom secrets DIR"},
		{[]string{"load", "-users", "0"}, "-users and -posts must be at least 1"},
		{[]string{"load", "-clients", "5"}, "flag provided but not defined: -clients"},
	} {
		code, _, errOut := runMain(t, nil, tc.args...)
		if code != exitFailed || !strings.Contains(errOut, "coolroom "+tc.args[0]+": ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("coolroom %s: exit %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, errOut, exitFailed, tc.want)
		}
	}
}

func TestDeployNeedsDatabaseURL(t *testing.T) {
	code, _, errOut := runMain(t, nil, "deploy")
	if code != exitFailed || !strings.Contains(errOut, "DATABASE_URL is required") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestUpOutsideCheckoutSaysWhatToRun: `up` elsewhere fails with the exact
// command to run.
func TestUpOutsideCheckoutSaysWhatToRun(t *testing.T) {
	root, err := checkoutRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	want := "cd " + root + " && go run ./cmd/coolroom up"
	t.Chdir(t.TempDir())
	code, _, errOut := runMain(t, nil, "up")
	if code != exitFailed || !strings.Contains(errOut, "is not inside the coolroom checkout") || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr %q; want the command %q", code, errOut, want)
	}

	// Another Go module is not the checkout either.
	other := t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "go.mod"), []byte("module example.test/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := checkoutRoot(other); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("another module: %v; want the command %q", err, want)
	}
}

func TestUpEmptyFlagAndEnv(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		env   string
		empty bool
	}{
		{nil, "", false},
		{[]string{"--empty"}, "", true},
		{nil, "1", true},
		{nil, "true", true},
		{[]string{"--empty=false"}, "1", false},
	} {
		cfg, err := config.Load(config.Map(map[string]string{"COOLROOM_EMPTY": tc.env}))
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseUpFlags(tc.args, cfg)
		if err != nil || f.empty != tc.empty {
			t.Errorf("up %v with COOLROOM_EMPTY=%q: empty=%v, %v; want %v", tc.args, tc.env, f.empty, err, tc.empty)
		}
	}
}

// TestDeployConfigPerTarget: `coolroom deploy`, `destroy` and `app` build
// their deployment with stack.DeployConfig, as `up` and the e2e suite do:
// names namespaced by the run id, the static files, the function's
// environment, an execution role and no endpoint only on AWS.
func TestDeployConfigPerTarget(t *testing.T) {
	zip := filepath.Join(t.TempDir(), "lambda.zip")
	if err := os.WriteFile(zip, []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target, endpoint string
		role             bool
	}{
		{"localstack", "http://aws:4566", false},
		{"aws", "", true},
	} {
		cfg, err := config.Load(config.Map(map[string]string{"COOLROOM_TARGET": tc.target, "AWS_ENDPOINT_URL": "http://aws:4566",
			"COOLROOM_RUN_ID": "CI42", "COOLROOM_LAMBDA_ZIP": zip, "AWS_REGION": "eu-west-1"}))
		if err != nil {
			t.Fatal(err)
		}
		env := config.FunctionEnv("postgres://db", "secret")
		dc, err := deployConfig(context.Background(), cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		if dc.FunctionName != "coolroom-data-ci42" || dc.APIName != "coolroom-api-ci42" || dc.Bucket != "coolroom-static-ci42" {
			t.Errorf("%s: names %s, %s, %s; want the run id's", tc.target, dc.FunctionName, dc.APIName, dc.Bucket)
		}
		if dc.EndpointURL != tc.endpoint || dc.CreateRole != tc.role || dc.AWS.Region != "eu-west-1" {
			t.Errorf("%s: endpoint %q, role %v, region %q", tc.target, dc.EndpointURL, dc.CreateRole, dc.AWS.Region)
		}
		if string(dc.LambdaZip) != "PK" || dc.Static == nil || dc.Env["TOKEN_SECRET"] != "secret" {
			t.Errorf("%s: zip %q, static files %v, env %v", tc.target, dc.LambdaZip, dc.Static, dc.Env)
		}
	}
}

package config

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/coolroom/testbed/internal/drill"
)

func TestLoadDefaults(t *testing.T) {
	c, err := Load(Map(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{EmulatorAddr: "127.0.0.1:4566", AppAddr: "127.0.0.1:8000", Region: "us-east-1", Bucket: "coolroom-static",
		FunctionName: "coolroom-data", APIName: "coolroom-api", LogLevel: slog.LevelInfo, AvatarMaxBytes: 2 << 20,
		Target: Target{Name: TargetEmulator, Endpoint: "http://127.0.0.1:4566", Arch: runtime.GOARCH}}
	if c != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", c, want)
	}
}

func TestLoadReadsEachVariable(t *testing.T) {
	c, err := Load(Map(map[string]string{"COOLROOM_LOG_LEVEL": "debug", "COOLROOM_EMPTY": "TRUE", "COOLROOM_AVATAR_MAX_BYTES": "10",
		"COOLROOM_TARGET": "aws", "AWS_ENDPOINT_URL": "http://elsewhere", "COOLROOM_RUN_ID": "Run7", "COOLROOM_LAMBDA_ARCH": "arm64",
		"COOLROOM_EMULATOR_HOSTS": "aws", "DATABASE_URL": "postgres://x"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.LogLevel != slog.LevelDebug || !c.Empty || c.AvatarMaxBytes != 10 || c.Guard.Hosts != "aws" || c.DatabaseURL != "postgres://x" {
		t.Errorf("read %+v", c)
	}
	if want := (Target{Name: "aws", RunID: "Run7", Arch: "arm64", ArchSet: true}); c.Target != want {
		t.Errorf("target %+v, want %+v (no endpoint on AWS)", c.Target, want)
	}
	if got := c.Target.Namespace("coolroom-data"); got != "coolroom-data-run7" {
		t.Errorf("namespaced name %q", got)
	}
	if got := (Target{}).Namespace("coolroom-data"); got != "coolroom-data" {
		t.Errorf("no run id: %q", got)
	}
}

// TestBadValuesAreAllReported: every bad variable is named in one error
// (the CLI used to exit from inside its config loader on the first).
func TestBadValuesAreAllReported(t *testing.T) {
	_, err := Load(Map(map[string]string{"COOLROOM_LOG_LEVEL": "loud", "COOLROOM_AVATAR_MAX_BYTES": "0",
		"COOLROOM_TARGET": "gcp", "COOLROOM_LAMBDA_ARCH": "386", "COOLROOM_SESSION_SECRET_FILE": "/nonexistent/session"}))
	if err == nil {
		t.Fatal("bad values accepted")
	}
	for _, name := range []string{"COOLROOM_LOG_LEVEL", "COOLROOM_AVATAR_MAX_BYTES", "COOLROOM_TARGET", "COOLROOM_LAMBDA_ARCH", "COOLROOM_SESSION_SECRET_FILE"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

// TestEverySecretReadsItsFile: each secret variable may be given as a file
// (NAME_FILE, trimmed); the variable itself wins; non-secrets have no
// _FILE form.
func TestEverySecretReadsItsFile(t *testing.T) {
	dir := t.TempDir()
	for _, v := range Vars {
		path := filepath.Join(dir, v.Name)
		if err := os.WriteFile(path, []byte(" from-the-file\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := Get(Map(map[string]string{v.Name + "_FILE": path}), v.Name)
		if err != nil {
			t.Fatal(err)
		}
		if v.Secret && got != "from-the-file" {
			t.Errorf("%s_FILE: read %q", v.Name, got)
		}
		if !v.Secret && got != v.Default {
			t.Errorf("%s is no secret, yet %s_FILE gave %q", v.Name, v.Name, got)
		}
		if v.Secret {
			if got, _ := Get(Map(map[string]string{v.Name: "direct", v.Name + "_FILE": path}), v.Name); got != "direct" {
				t.Errorf("%s given directly and as a file: %q, want the variable", v.Name, got)
			}
		}
	}
	for _, name := range []string{"COOLROOM_TOKEN_SECRET", "COOLROOM_SESSION_SECRET", "TOKEN_SECRET", "DATABASE_URL", "LOCALSTACK_AUTH_TOKEN"} {
		if !lookupVar(name).Secret {
			t.Errorf("%s is not marked secret", name)
		}
	}
}

func TestLoadFunction(t *testing.T) {
	f, err := LoadFunction(Map(FunctionEnv("postgres://db", "0123456789abcdef")))
	if err != nil || f.DatabaseURL != "postgres://db" || f.TokenSecret != "0123456789abcdef" || f.DrillDelay != drill.SlowDelay.String() {
		t.Errorf("LoadFunction(FunctionEnv(…)) = %+v, %v", f, err)
	}
	_, err = LoadFunction(Map(nil))
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL is not set") || !strings.Contains(err.Error(), "TOKEN_SECRET is not set") {
		t.Errorf("empty environment: %v", err)
	}
	if f, err := LoadFunction(Map(map[string]string{"DATABASE_URL": "x", "COOLROOM_DEV_MODE": "1"})); err != nil || !f.DevMode {
		t.Errorf("dev mode without a secret: %+v, %v", f, err)
	}
	if lookupVar(drill.EnvDrill).Reader != ReaderFunction || lookupVar(drill.EnvDelay).Reader != ReaderFunction {
		t.Error("the drill's variables are not the function's")
	}
}

func TestLoadE2E(t *testing.T) {
	e, err := LoadE2E(Map(nil))
	if err != nil || e.Target != TargetEmulator || e.LocalStackImage == "" || e.PostgresImage == "" {
		t.Errorf("defaults %+v, %v", e, err)
	}
	if _, err := LoadE2E(Map(map[string]string{"COOLROOM_E2E_TARGET": "mars"})); err == nil || !strings.Contains(err.Error(), "COOLROOM_E2E_TARGET") {
		t.Errorf("bad target: %v", err)
	}
}

// TestHelpListsEveryVariable: `coolroom help` shows each variable, its
// default and, for secrets, the _FILE form.
func TestHelpListsEveryVariable(t *testing.T) {
	var b strings.Builder
	WriteHelp(&b)
	for _, v := range Vars {
		if !strings.Contains(b.String(), v.Name+" ") || !strings.Contains(b.String(), "["+v.DefaultText()+"]") {
			t.Errorf("help misses %s", v.Name)
		}
		if v.Secret && !strings.Contains(b.String(), v.Name+"_FILE") {
			t.Errorf("help misses %s_FILE", v.Name)
		}
	}
}

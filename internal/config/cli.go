package config

import (
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
)

// Config is what cmd/coolroom and cmd/emulator read from the environment.
type Config struct {
	EmulatorAddr string
	AppAddr      string
	// DatabaseURL is empty for "start a throwaway PostgreSQL".
	DatabaseURL  string
	Region       string
	Bucket       string
	FunctionName string
	APIName      string
	LogLevel     slog.Level
	DataDir      string
	// TokenSecret and SessionSecret are empty when not given; `up` keeps
	// generated ones (KeepSecrets), other commands generate their own.
	TokenSecret   string
	SessionSecret string
	// SessionSecretPrevious still opens cookies during a rotation of
	// SessionSecret; empty when there is none.
	SessionSecretPrevious string
	// Empty is COOLROOM_EMPTY: `up` starts without the demo classroom.
	Empty bool
	// AvatarBucket is empty for "the static bucket".
	AvatarBucket   string
	AvatarMaxBytes int64
	// Guard is who may call the emulator besides loopback clients.
	Guard Guard
	// Python and Node are the interpreters of the emulator's python3.x and
	// nodejs functions; empty for "look them up on PATH".
	Python, Node string
	// Target is where deploy, destroy, app, drill and package work.
	Target Target
}

// Guard is the emulator's guard configuration, as the variables give it
// (emulator.ParseGuardConfig parses it; this package imports nothing of
// the project).
type Guard struct {
	Hosts             string // COOLROOM_EMULATOR_HOSTS
	CORSOrigins       string // EXTRA_CORS_ALLOWED_ORIGINS
	DisableCORSChecks string // DISABLE_CORS_CHECKS
	LocalStackHost    string // LOCALSTACK_HOST
}

// Target is where the AWS side is: its name, its endpoint (empty on real
// AWS, where the SDK finds it), the run id that namespaces resource names,
// and how the Lambda is built or found.
type Target struct {
	// Name is TargetEmulator, TargetLocalStack or TargetAWS.
	Name string
	// Endpoint is the emulator's or LocalStack's URL; empty for AWS.
	Endpoint string
	// RunID suffixes resource names (Namespace); empty for none.
	RunID string
	// Arch is the Lambda's GOARCH; ArchSet says COOLROOM_LAMBDA_ARCH chose it.
	Arch    string
	ArchSet bool
	// ZipPath is a prebuilt Lambda zip; empty builds one.
	ZipPath string
}

// The target names.
const (
	TargetEmulator   = "emulator"
	TargetLocalStack = "localstack"
	TargetAWS        = "aws"
)

// Namespace is base suffixed by the run id, so parallel runs on one
// account do not collide.
func (t Target) Namespace(base string) string {
	if t.RunID == "" {
		return base
	}
	return base + "-" + strings.ToLower(t.RunID)
}

// CheckTargetName returns an error unless name is a target name.
func CheckTargetName(name string) error {
	switch name {
	case TargetEmulator, TargetLocalStack, TargetAWS:
		return nil
	}
	return fmt.Errorf("unknown target %q: want emulator, localstack or aws", name)
}

// Load reads the CLI's configuration. Every bad variable is reported in
// the one error; the Config returned with it holds what could be read.
func Load(lookup Lookup) (Config, error) {
	r := &reader{lookup: lookup}
	c := Config{
		EmulatorAddr:          r.get("COOLROOM_EMULATOR_ADDR"),
		AppAddr:               r.get("COOLROOM_APP_ADDR"),
		DatabaseURL:           r.get("DATABASE_URL"),
		Region:                r.get("AWS_REGION"),
		Bucket:                r.get("COOLROOM_BUCKET"),
		FunctionName:          r.get("COOLROOM_FUNCTION"),
		APIName:               r.get("COOLROOM_API"),
		DataDir:               r.get("COOLROOM_DATA_DIR"),
		TokenSecret:           r.get("COOLROOM_TOKEN_SECRET"),
		SessionSecret:         r.get("COOLROOM_SESSION_SECRET"),
		SessionSecretPrevious: r.get("COOLROOM_SESSION_SECRET_PREVIOUS"),
		Empty:                 r.flag("COOLROOM_EMPTY"),
		AvatarBucket:          r.get("COOLROOM_AVATAR_BUCKET"),
		Guard: Guard{
			Hosts:             r.get("COOLROOM_EMULATOR_HOSTS"),
			CORSOrigins:       r.get("EXTRA_CORS_ALLOWED_ORIGINS"),
			DisableCORSChecks: r.get("DISABLE_CORS_CHECKS"),
			LocalStackHost:    r.get("LOCALSTACK_HOST"),
		},
		Python: r.get("COOLROOM_PYTHON"),
		Node:   r.get("COOLROOM_NODE"),
	}
	if level := r.get("COOLROOM_LOG_LEVEL"); c.LogLevel.UnmarshalText([]byte(level)) != nil {
		r.fail(fmt.Errorf("COOLROOM_LOG_LEVEL=%q: want debug, info, warn or error", level))
	}
	max := r.get("COOLROOM_AVATAR_MAX_BYTES")
	if n, err := strconv.ParseInt(max, 10, 64); err != nil || n < 1 {
		r.fail(fmt.Errorf("COOLROOM_AVATAR_MAX_BYTES=%q: want a positive number of bytes", max))
	} else {
		c.AvatarMaxBytes = n
	}
	c.Target = r.target()
	return c, r.err()
}

// target reads the provisioning target.
func (r *reader) target() Target {
	t := Target{Name: r.get("COOLROOM_TARGET"), Endpoint: r.get("AWS_ENDPOINT_URL"), RunID: r.get("COOLROOM_RUN_ID"),
		Arch: r.get("COOLROOM_LAMBDA_ARCH"), ZipPath: r.get("COOLROOM_LAMBDA_ZIP")}
	if err := CheckTargetName(t.Name); err != nil {
		r.fail(fmt.Errorf("COOLROOM_TARGET=%q: want emulator, localstack or aws", t.Name))
	}
	if t.Name == TargetAWS {
		t.Endpoint = ""
	}
	t.ArchSet = t.Arch != ""
	if !t.ArchSet {
		t.Arch = runtime.GOARCH
	}
	if t.ArchSet && t.Arch != "amd64" && t.Arch != "arm64" {
		r.fail(fmt.Errorf("COOLROOM_LAMBDA_ARCH=%q: want amd64 or arm64", t.Arch))
	}
	return t
}

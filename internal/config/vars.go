package config

// Var is one environment variable: the table below is the only list of
// them, rendered by `coolroom help` and kept equal to README.md's
// Configuration tables by a test.
type Var struct {
	// Name is the variable's name.
	Name string
	// Default is the value an unset (or empty) variable stands for; ""
	// means none (shown as "unset").
	Default string
	// Meaning says what it does, in Markdown (the README's cell).
	Meaning string
	// Secret variables may instead name a file holding the value in
	// NAME_FILE (Docker's convention for secrets).
	Secret bool
	// Reader is who reads it: one of the Readers.
	Reader string
}

// The readers of the variables, in the order help and the README list them.
const (
	// ReaderCLI is cmd/coolroom and cmd/emulator.
	ReaderCLI = "cli"
	// ReaderTarget is the commands that provision a target (deploy,
	// destroy, app, drill, package).
	ReaderTarget = "target"
	// ReaderFunction is the data service's Lambda (lambda/bootstrap), in
	// the function's environment that the deployer sets.
	ReaderFunction = "function"
	// ReaderTests is the end-to-end suite (tests/).
	ReaderTests = "tests"
)

// Readers lists the readers with the heading help gives each.
var Readers = []struct{ Name, Heading string }{
	{ReaderCLI, "coolroom and emulator"},
	{ReaderTarget, "coolroom deploy, destroy, app, drill and package: the target"},
	{ReaderFunction, "the data service's Lambda (set by the deployer in the function's environment)"},
	{ReaderTests, "the end-to-end tests (go test ./tests/)"},
}

// Vars is every variable the project reads.
var Vars = []Var{
	{Name: "COOLROOM_EMULATOR_ADDR", Default: "127.0.0.1:4566", Reader: ReaderCLI,
		Meaning: "where the emulator listens (S3, Lambda, API Gateway); `0.0.0.0:4566` in a container"},
	{Name: "COOLROOM_APP_ADDR", Default: "127.0.0.1:8000", Reader: ReaderCLI,
		Meaning: "where the web app listens"},
	{Name: "DATABASE_URL", Reader: ReaderCLI, Secret: true,
		Meaning: "PostgreSQL for the data service (required by `deploy` and by the function); unset, `up` starts a throwaway cluster and the e2e tests one per run"},
	{Name: "AWS_REGION", Default: "us-east-1", Reader: ReaderCLI,
		Meaning: "region of the resources (emulated, on LocalStack or on AWS)"},
	{Name: "COOLROOM_BUCKET", Default: "coolroom-static", Reader: ReaderCLI,
		Meaning: "S3 bucket for static files"},
	{Name: "COOLROOM_FUNCTION", Default: "coolroom-data", Reader: ReaderCLI,
		Meaning: "Lambda function name of the data service"},
	{Name: "COOLROOM_API", Default: "coolroom-api", Reader: ReaderCLI,
		Meaning: "API Gateway API name of the data service"},
	{Name: "COOLROOM_LOG_LEVEL", Default: "info", Reader: ReaderCLI,
		Meaning: "`debug`, `info`, `warn` or `error`"},
	{Name: "COOLROOM_DATA_DIR", Reader: ReaderCLI,
		Meaning: "`coolroom emulator` and `cmd/emulator`: keep emulator state in this directory across restarts (`cmd/emulator -data-dir`)"},
	{Name: "COOLROOM_TOKEN_SECRET", Reader: ReaderCLI, Secret: true,
		Meaning: "signs the data service's bearer tokens (given to the function as `TOKEN_SECRET`); unset, `up` keeps a generated one in the user config dir (`coolroom/token-secret`), `deploy` generates one per deploy"},
	{Name: "COOLROOM_SESSION_SECRET", Reader: ReaderCLI, Secret: true,
		Meaning: "encrypts and authenticates the app's session, flash and draft cookies (AES-256-GCM, key derived with HKDF-SHA256; each cookie carries when it was sealed and opens only within its lifetime: session 24 h, flash 5 min, draft 30 min); unset, `up` keeps a generated one in the user config dir (`coolroom/session-secret`), `app` generates one per run; give every app replica the same value"},
	{Name: "COOLROOM_SESSION_SECRET_PREVIOUS", Reader: ReaderCLI, Secret: true,
		Meaning: "`coolroom app`: the session secret being replaced; cookies it sealed still open (new ones are sealed with `COOLROOM_SESSION_SECRET`), so rotating the secret logs nobody out. Remove it after a day (the longest cookie lifetime)"},
	{Name: "COOLROOM_EMPTY", Reader: ReaderCLI,
		Meaning: "`1` or `true`: `up` starts without the demo classroom (as `up --empty`)"},
	{Name: "COOLROOM_AVATAR_BUCKET", Reader: ReaderCLI,
		Meaning: "S3 bucket for uploaded avatars (keys `avatars/<user id>/<random>.<ext>`); unset uses `COOLROOM_BUCKET`; created by `up` if it differs"},
	{Name: "COOLROOM_AVATAR_MAX_BYTES", Default: "2097152", Reader: ReaderCLI,
		Meaning: "largest avatar upload in bytes (2 MiB); a bigger one comes back on the edit-profile form (status 413) as the picture's error, keeping the typed fields"},
	{Name: "COOLROOM_EMULATOR_HOSTS", Reader: ReaderCLI,
		Meaning: "extra Host names the emulator answers besides loopback, `localhost`, `*.localhost`, `*.localhost.localstack.cloud` (comma-separated; compose sets `aws`); others get 403 (DNS rebinding)"},
	{Name: "EXTRA_CORS_ALLOWED_ORIGINS", Reader: ReaderCLI,
		Meaning: "browser origins (`scheme://host:port`, comma-separated) allowed to send cross-site requests to the emulator's control planes; all others are refused"},
	{Name: "DISABLE_CORS_CHECKS", Reader: ReaderCLI,
		Meaning: "`1` lets any web page send cross-site requests to the emulator (unsafe; the Host check stays)"},
	{Name: "LOCALSTACK_HOST", Reader: ReaderCLI,
		Meaning: "`host[:port]` that LocalStack users name the emulator by; its host is answered too"},
	{Name: "COOLROOM_PYTHON", Reader: ReaderCLI,
		Meaning: "`coolroom emulator` and `cmd/emulator`: the interpreter that runs `python3.x` functions; unset, `python3` on the PATH (none: creating such a function is refused, naming what to install)"},
	{Name: "COOLROOM_NODE", Reader: ReaderCLI,
		Meaning: "`coolroom emulator` and `cmd/emulator`: the interpreter that runs `nodejs` functions; unset, `node` on the PATH (none: creating such a function is refused, naming what to install)"},

	{Name: "COOLROOM_TARGET", Default: "emulator", Reader: ReaderTarget,
		Meaning: "`emulator`, `localstack` or `aws`: where the AWS side is"},
	{Name: "AWS_ENDPOINT_URL", Default: "http://127.0.0.1:4566", Reader: ReaderTarget,
		Meaning: "the emulator's or LocalStack's URL (ignored for `aws`)"},
	{Name: "COOLROOM_RUN_ID", Reader: ReaderTarget,
		Meaning: "suffix for the bucket, function and API names (`name-<run id>`), so parallel runs do not collide"},
	{Name: "COOLROOM_LAMBDA_ARCH", Reader: ReaderTarget,
		Meaning: "`amd64` or `arm64` for the Lambda binary; unset, this machine's (or what the emulator runs)"},
	{Name: "COOLROOM_LAMBDA_ZIP", Reader: ReaderTarget,
		Meaning: "a prebuilt Lambda zip (`coolroom package`); unset builds one with the Go toolchain"},

	{Name: "TOKEN_SECRET", Reader: ReaderFunction, Secret: true,
		Meaning: "signs bearer tokens, at least 16 bytes; required unless `COOLROOM_DEV_MODE=1`"},
	{Name: "COOLROOM_DEV_MODE", Reader: ReaderFunction,
		Meaning: "`1` allows a missing `TOKEN_SECRET`, using a fixed, publicly known development secret"},
	{Name: "COOLROOM_DRILL", Reader: ReaderFunction,
		Meaning: "the failure drill that is on (`crash` or `slow`; see `lambda/bootstrap/drill.go`), set and removed by `coolroom drill`"},
	{Name: "COOLROOM_DRILL_DELAY", Default: "35s", Reader: ReaderFunction,
		Meaning: "how long each invocation waits under the `slow` drill (a Go duration)"},
	{Name: "GOMAXPROCS", Reader: ReaderFunction,
		Meaning: "Go's own; unset, the bootstrap runs on one P (a Lambda environment runs one invocation at a time)"},

	{Name: "COOLROOM_E2E_TARGET", Default: "emulator", Reader: ReaderTests,
		Meaning: "`emulator`, `localstack` or `aws`: where the suite's AWS side runs (see [Three targets](#three-targets-one-suite-three-places))"},
	{Name: "COOLROOM_E2E_LOG", Reader: ReaderTests,
		Meaning: "`1` logs every hop to stderr"},
	{Name: "COOLROOM_LOCALSTACK_IMAGE", Default: "localstack/localstack:4.14.0", Reader: ReaderTests,
		Meaning: "the LocalStack image of the `localstack` target (`coolroom/emulator:latest` runs our emulator image in its place)"},
	{Name: "LOCALSTACK_AUTH_TOKEN", Reader: ReaderTests, Secret: true,
		Meaning: "passed to LocalStack by the `localstack` target"},
	{Name: "POSTGRES_IMAGE", Default: "postgres:16-alpine", Reader: ReaderTests,
		Meaning: "the PostgreSQL image when PostgreSQL runs in Docker"},
	{Name: "COOLROOM_CHROMIUM", Reader: ReaderTests,
		Meaning: "the Chromium or Chrome binary of the browser tests; unset, found as [Platforms](#platforms) says"},
	{Name: "COOLROOM_SCREENSHOTS", Reader: ReaderTests,
		Meaning: "where browser tests save their screenshots (a new `coolroom-<test>-<random>` directory each run, kept); unset, the system's temporary directory"},
	{Name: "S3_LARGE_OBJECT_MIB", Reader: ReaderTests,
		Meaning: "size in MiB of `emulator/s3`'s large-object test (`1024` runs the 1 GiB case by hand); unset, 128 (64 with `-short`)"},
}

// lookupVar returns the table's entry for name; asking for a variable the
// table does not list is a programming error.
func lookupVar(name string) Var {
	for _, v := range Vars {
		if v.Name == name {
			return v
		}
	}
	panic("config: undocumented variable " + name)
}

package main

import (
	"fmt"
	"github.com/coolroom/testbed/emulator"
	"os"
	"strconv"
	"strings"
)

// config is everything the CLI reads from the environment; no other
// package reads configuration.
type config struct {
	EmulatorAddr string
	AppAddr      string
	DatabaseURL  string
	Region       string
	Bucket       string
	FunctionName string
	APIName      string
	LogLevel     string
	TokenSecret  string
	DataDir      string
	// SessionSecret, AvatarBucket and AvatarMaxBytes configure the web app.
	SessionSecret  string
	AvatarBucket   string
	AvatarMaxBytes string
	// EmulatorHosts, CORSOrigins, DisableCORSChecks and LocalStackHost
	// configure the emulator's guard (emulator.ParseGuardConfig).
	EmulatorHosts     string
	CORSOrigins       string
	DisableCORSChecks string
	LocalStackHost    string
	// Empty is COOLROOM_EMPTY: `up` starts without the demo classroom.
	Empty string
}

// guard is the emulator's guard configuration.
func (c config) guard() emulator.GuardConfig {
	return emulator.ParseGuardConfig(c.EmulatorHosts, c.CORSOrigins, c.DisableCORSChecks, c.LocalStackHost)
}

// envVars documents each variable with its default (shown by `coolroom help`).
var envVars = []struct{ name, def, doc string }{
	{"COOLROOM_EMULATOR_ADDR", "127.0.0.1:4566", "where the emulator listens (S3, Lambda, API Gateway)"},
	{"COOLROOM_APP_ADDR", "127.0.0.1:8000", "where the web app listens"},
	{"DATABASE_URL", "", "PostgreSQL for the data service; empty starts a throwaway cluster from the local binaries"},
	{"AWS_REGION", "us-east-1", "region of the emulated resources"},
	{"COOLROOM_BUCKET", "coolroom-static", "S3 bucket for static files"},
	{"COOLROOM_FUNCTION", "coolroom-data", "Lambda function name of the data service"},
	{"COOLROOM_API", "coolroom-api", "API Gateway HTTP API name"},
	{"COOLROOM_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"COOLROOM_DATA_DIR", "", "coolroom emulator: keep emulator state in this directory across restarts"},
	{"COOLROOM_TOKEN_SECRET", "", "signs the data service's bearer tokens; unset: up keeps a generated one in the user config dir (coolroom/token-secret)"},
	{"COOLROOM_SESSION_SECRET", "", "encrypts the app's session cookies (AES-GCM); unset: up keeps a generated one in the user config dir (coolroom/session-secret), app generates one per run; give every replica the same"},
	{"COOLROOM_EMPTY", "", "1: up starts without the demo classroom (as up --empty)"},
	{"COOLROOM_AVATAR_BUCKET", "", "S3 bucket for avatars; unset uses COOLROOM_BUCKET (keys under avatars/)"},
	{"COOLROOM_AVATAR_MAX_BYTES", "2097152", "largest avatar upload in bytes (2 MiB); bigger uploads get a 413 page"},
	{"COOLROOM_EMULATOR_HOSTS", "", "extra Host names the emulator answers besides loopback, localhost, *.localhost and *.localhost.localstack.cloud (comma-separated; e.g. the compose service name aws)"},
	{"EXTRA_CORS_ALLOWED_ORIGINS", "", "browser origins (scheme://host:port, comma-separated) allowed to send cross-site requests to the emulator's control planes"},
	{"DISABLE_CORS_CHECKS", "", "1 lets any web page send cross-site requests to the emulator (unsafe: any page could run code on this machine)"},
	{"LOCALSTACK_HOST", "", "host[:port] LocalStack users name the emulator by; its host is answered too"},
}

func loadConfig() config {
	get := func(name string) string {
		for _, v := range envVars {
			if v.name == name {
				if val, ok := os.LookupEnv(name); ok && val != "" {
					return val
				}
				// NAME_FILE holds the value in a file (Docker's convention
				// for secrets): what compose's secrets volume provides.
				if path := os.Getenv(name + "_FILE"); path != "" {
					b, err := os.ReadFile(path)
					if err != nil {
						fmt.Fprintf(os.Stderr, "coolroom: %s_FILE: %v\n", name, err)
						os.Exit(2)
					}
					return strings.TrimSpace(string(b))
				}
				return v.def
			}
		}
		panic("undocumented variable " + name)
	}
	return config{
		EmulatorAddr:   get("COOLROOM_EMULATOR_ADDR"),
		AppAddr:        get("COOLROOM_APP_ADDR"),
		DatabaseURL:    get("DATABASE_URL"),
		Region:         get("AWS_REGION"),
		Bucket:         get("COOLROOM_BUCKET"),
		FunctionName:   get("COOLROOM_FUNCTION"),
		APIName:        get("COOLROOM_API"),
		LogLevel:       get("COOLROOM_LOG_LEVEL"),
		TokenSecret:    get("COOLROOM_TOKEN_SECRET"),
		DataDir:        get("COOLROOM_DATA_DIR"),
		SessionSecret:  get("COOLROOM_SESSION_SECRET"),
		AvatarBucket:   get("COOLROOM_AVATAR_BUCKET"),
		AvatarMaxBytes: get("COOLROOM_AVATAR_MAX_BYTES"),

		EmulatorHosts:     get("COOLROOM_EMULATOR_HOSTS"),
		CORSOrigins:       get("EXTRA_CORS_ALLOWED_ORIGINS"),
		DisableCORSChecks: get("DISABLE_CORS_CHECKS"),
		LocalStackHost:    get("LOCALSTACK_HOST"),
		Empty:             get("COOLROOM_EMPTY"),
	}
}

// avatarMaxBytes parses COOLROOM_AVATAR_MAX_BYTES.
func (c config) avatarMaxBytes() (int64, error) {
	n, err := strconv.ParseInt(c.AvatarMaxBytes, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("COOLROOM_AVATAR_MAX_BYTES=%q: want a positive number of bytes", c.AvatarMaxBytes)
	}
	return n, nil
}

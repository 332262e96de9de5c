package main

import (
	"os"
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
	{"COOLROOM_TOKEN_SECRET", "", "signs the data service's bearer tokens; unset generates one per run"},
}

func loadConfig() config {
	get := func(name string) string {
		for _, v := range envVars {
			if v.name == name {
				if val, ok := os.LookupEnv(name); ok && val != "" {
					return val
				}
				return v.def
			}
		}
		panic("undocumented variable " + name)
	}
	return config{
		EmulatorAddr: get("COOLROOM_EMULATOR_ADDR"),
		AppAddr:      get("COOLROOM_APP_ADDR"),
		DatabaseURL:  get("DATABASE_URL"),
		Region:       get("AWS_REGION"),
		Bucket:       get("COOLROOM_BUCKET"),
		FunctionName: get("COOLROOM_FUNCTION"),
		APIName:      get("COOLROOM_API"),
		LogLevel:     get("COOLROOM_LOG_LEVEL"),
		TokenSecret:  get("COOLROOM_TOKEN_SECRET"),
	}
}

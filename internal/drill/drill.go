// Package drill breaks the data service's Lambda function on purpose, the
// way a teacher shows what each hop answers when another fails, and puts
// it back. Every drill is a change made through the real Lambda API
// (UpdateFunctionConfiguration, PutFunctionConcurrency,
// DeleteFunctionConcurrency), so it works the same on the emulator,
// LocalStack and AWS:
//
//   - crash: COOLROOM_DRILL=crash; the bootstrap exits in the middle of
//     every invocation (Runtime.ExitError).
//   - slow: COOLROOM_DRILL=slow; the bootstrap sleeps SlowDelay before
//     answering, past API Gateway's 30 s integration timeout (the function
//     timeout is raised above the delay so the gateway gives up first).
//   - throttle: reserved concurrency 0; Lambda refuses every call.
//   - dbdown: DATABASE_URL points at a port where nothing listens; every
//     cold start fails to connect.
//   - restore: undoes whichever drill is on.
//
// What a drill changed is kept in the function's own environment
// (COOLROOM_DRILL_SAVED_*), so restore works from any machine and after a
// restart of the tool that started the drill.
package drill

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Names of the drills.
const (
	Crash    = "crash"
	Slow     = "slow"
	Throttle = "throttle"
	DBDown   = "dbdown"
	Restore  = "restore"
)

// Kinds lists the drills in the order the console and the CLI show them.
var Kinds = []string{Crash, Slow, Throttle, DBDown, Restore}

// Environment variables the data service's bootstrap honours, and the ones
// that remember what a drill replaced.
const (
	// EnvDrill names the active drill; the bootstrap acts on crash and slow.
	EnvDrill = "COOLROOM_DRILL"
	// EnvDelay is how long the slow drill sleeps (a Go duration).
	EnvDelay = "COOLROOM_DRILL_DELAY"
	// savedPrefix + a name keeps the value the drill replaced; "" marks a
	// value that was not set.
	savedPrefix      = "COOLROOM_DRILL_SAVED_"
	savedDatabaseURL = savedPrefix + "DATABASE_URL"
	savedTimeout     = savedPrefix + "TIMEOUT"
	savedReserved    = savedPrefix + "CONCURRENCY"
)

// SlowDelay is past API Gateway's longest integration timeout (30 s for
// HTTP APIs, 29 s by default for REST APIs).
const SlowDelay = 35 * time.Second

// slowTimeout is the function timeout (seconds) during the slow drill:
// above SlowDelay, so it is the gateway, not Lambda, that gives up.
const slowTimeout = 45

// deadDatabase is where dbdown points the function: port 1 on loopback,
// where nothing listens, so a connection is refused at once.
const deadHostPort = "127.0.0.1:1"

// Function is what a drill reads and changes of a Lambda function.
type Function struct {
	Env map[string]string
	// Timeout is the function timeout in seconds.
	Timeout int32
	// Reserved is the reserved concurrency; nil when none is set.
	Reserved *int32
}

// API is the part of the Lambda API the drills use, implemented over the
// AWS SDK (package awsdrill) and by the emulator's console.
type API interface {
	GetFunction(ctx context.Context, name string) (Function, error)
	// UpdateConfiguration sets the environment and timeout and returns
	// when the update has finished.
	UpdateConfiguration(ctx context.Context, name string, env map[string]string, timeout int32) error
	PutConcurrency(ctx context.Context, name string, n int32) error
	DeleteConcurrency(ctx context.Context, name string) error
}

// Hop is what one hop answers during a drill.
type Hop struct {
	Hop    string `json:"hop"`
	Answer string `json:"answer"`
}

// Report says what a drill did and what each hop answers now.
type Report struct {
	Drill    string `json:"drill"`
	Function string `json:"function"`
	// Changed lists the API calls made, in order.
	Changed []string `json:"changed"`
	// Expect is what each hop answers while the drill is on.
	Expect []Hop `json:"expect"`
}

// Active returns the drill that is on for the function, or "": every
// drill marks the function's environment, the throttle too.
func Active(f Function) string { return f.Env[EnvDrill] }

// Valid reports whether kind names a drill.
func Valid(kind string) bool { return slices.Contains(Kinds, kind) }

// Run applies the drill kind to the function name: first it restores
// whatever drill is on, so the saved values are always the originals.
func Run(ctx context.Context, api API, name, kind string) (Report, error) {
	rep := Report{Drill: kind, Function: name, Changed: []string{}, Expect: Expected(kind)}
	if !Valid(kind) {
		return rep, fmt.Errorf("no drill %q: want one of %s", kind, strings.Join(Kinds, ", "))
	}
	f, err := api.GetFunction(ctx, name)
	if err != nil {
		return rep, err
	}
	if f, err = restore(ctx, api, name, f, &rep); err != nil || kind == Restore {
		return rep, err
	}
	env := maps.Clone(f.Env)
	if env == nil {
		env = map[string]string{}
	}
	env[EnvDrill] = kind
	timeout := f.Timeout
	switch kind {
	case Slow:
		env[EnvDelay] = SlowDelay.String()
		env[savedTimeout] = strconv.Itoa(int(f.Timeout))
		timeout = max(timeout, slowTimeout)
	case DBDown:
		env[savedDatabaseURL] = f.Env["DATABASE_URL"]
		env["DATABASE_URL"] = deadURL(f.Env["DATABASE_URL"])
	case Throttle:
		env[savedReserved] = ""
		if f.Reserved != nil {
			env[savedReserved] = strconv.Itoa(int(*f.Reserved))
		}
	}
	// The marker goes in first, so a throttle that is on can always be
	// found and undone.
	if err := api.UpdateConfiguration(ctx, name, env, timeout); err != nil {
		return rep, err
	}
	rep.Changed = append(rep.Changed, fmt.Sprintf("UpdateFunctionConfiguration %s (%s)", name, describe(kind, timeout)))
	if kind == Throttle {
		if err := api.PutConcurrency(ctx, name, 0); err != nil {
			return rep, err
		}
		rep.Changed = append(rep.Changed, "PutFunctionConcurrency "+name+" ReservedConcurrentExecutions=0")
	}
	return rep, nil
}

func describe(kind string, timeout int32) string {
	switch kind {
	case Slow:
		return fmt.Sprintf("%s=slow, %s=%s, Timeout=%d s", EnvDrill, EnvDelay, SlowDelay, timeout)
	case DBDown:
		return "DATABASE_URL → " + deadHostPort + ", the original kept in " + savedDatabaseURL
	}
	return EnvDrill + "=" + kind
}

// restore undoes the drill that is on, if any, and returns the function as
// it is afterwards.
func restore(ctx context.Context, api API, name string, f Function, rep *Report) (Function, error) {
	drill := Active(f)
	if drill == "" {
		return f, nil
	}
	env := map[string]string{}
	for k, v := range f.Env {
		if !strings.HasPrefix(k, "COOLROOM_DRILL") {
			env[k] = v
		}
	}
	timeout := f.Timeout
	if v, ok := f.Env[savedDatabaseURL]; ok {
		env["DATABASE_URL"] = v
	}
	if v, ok := f.Env[savedTimeout]; ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			timeout = int32(n)
		}
	}
	if v, ok := f.Env[savedReserved]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			if err := api.PutConcurrency(ctx, name, int32(n)); err != nil {
				return f, err
			}
			rep.Changed = append(rep.Changed, fmt.Sprintf("PutFunctionConcurrency %s ReservedConcurrentExecutions=%d", name, n))
		} else {
			if err := api.DeleteConcurrency(ctx, name); err != nil {
				return f, err
			}
			rep.Changed = append(rep.Changed, "DeleteFunctionConcurrency "+name)
		}
	}
	if err := api.UpdateConfiguration(ctx, name, env, timeout); err != nil {
		return f, err
	}
	rep.Changed = append(rep.Changed, fmt.Sprintf("UpdateFunctionConfiguration %s (%s drill removed, Timeout=%d s)", name, drill, timeout))
	return api.GetFunction(ctx, name)
}

// deadURL is the database URL with its host and port replaced by a port
// where nothing listens (and a one-second connect timeout); anything not
// a URL becomes a plain URL to that port.
func deadURL(orig string) string {
	u, err := url.Parse(orig)
	if err != nil || u.Scheme == "" {
		return "postgres://" + deadHostPort + "/coolroom?connect_timeout=1"
	}
	u.Host = deadHostPort
	q := u.Query()
	q.Set("connect_timeout", "1")
	u.RawQuery = q.Encode()
	return u.String()
}

// Expected is what each hop answers while the drill kind is on, as the
// emulator (following AWS's documentation) and the app answer.
func Expected(kind string) []Hop {
	app := Hop{"app → browser", `503 "The data service is unavailable"; a message being posted stays in the form ("Your message (not sent yet)")`}
	switch kind {
	case Crash:
		return []Hop{
			{"Lambda", "the process exits mid-invocation: Runtime.ExitError (Unhandled); the next call is a cold start"},
			{"API Gateway (HTTP API)", `500 {"message":"Internal Server Error"}`}, app}
	case Slow:
		return []Hop{
			{"Lambda", "the handler sleeps " + SlowDelay.String() + " and answers after the gateway has given up"},
			{"API Gateway (HTTP API)", `503 {"message":"Service Unavailable"} after the 30 s integration timeout`}, app}
	case Throttle:
		return []Hop{
			{"Lambda", `Invoke: 429 TooManyRequestsException "Rate Exceeded." (reserved concurrency 0)`},
			{"API Gateway (HTTP API)", `500 {"message":"Internal Server Error"}`}, app}
	case DBDown:
		return []Hop{
			{"PostgreSQL", "connection refused at " + deadHostPort},
			{"Lambda", "every cold start fails to open the database: Runtime.ExitError during init"},
			{"API Gateway (HTTP API)", `500 {"message":"Internal Server Error"}`}, app}
	}
	return []Hop{{"every hop", "answers normally again; new instances start with the original configuration"}}
}

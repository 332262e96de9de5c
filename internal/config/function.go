package config

import "errors"

// Function is what the data service's Lambda (lambda/bootstrap) reads from
// the function's environment.
type Function struct {
	// DatabaseURL is required.
	DatabaseURL string
	// TokenSecret is empty only with DevMode (the bootstrap then uses its
	// public development secret).
	TokenSecret string
	DevMode     bool
	// Drill and DrillDelay are the failure drill that is on, if any, and
	// the slow drill's wait (a Go duration, checked by the bootstrap).
	Drill      string
	DrillDelay string
	// GOMAXPROCSSet says GOMAXPROCS was given; the bootstrap otherwise
	// runs on one P.
	GOMAXPROCSSet bool
}

// LoadFunction reads the function's environment; a missing DATABASE_URL or
// TOKEN_SECRET is an error that says what to set.
func LoadFunction(lookup Lookup) (Function, error) {
	r := &reader{lookup: lookup}
	f := Function{
		DatabaseURL:   r.get("DATABASE_URL"),
		TokenSecret:   r.get("TOKEN_SECRET"),
		DevMode:       r.get("COOLROOM_DEV_MODE") == "1",
		Drill:         r.get("COOLROOM_DRILL"),
		DrillDelay:    r.get("COOLROOM_DRILL_DELAY"),
		GOMAXPROCSSet: r.get("GOMAXPROCS") != "",
	}
	if f.DatabaseURL == "" {
		r.fail(errors.New("DATABASE_URL is not set; set it in the function's environment to a PostgreSQL URL such as postgres://user:password@host:5432/db"))
	}
	if f.TokenSecret == "" && !f.DevMode {
		r.fail(errors.New("TOKEN_SECRET is not set; set it in the function's environment to a random string of at least 16 bytes (or COOLROOM_DEV_MODE=1 for an insecure development secret)"))
	}
	return f, r.err()
}

// FunctionEnv is the function's environment as the deployer sets it: the
// names LoadFunction reads.
func FunctionEnv(databaseURL, tokenSecret string) map[string]string {
	return map[string]string{"DATABASE_URL": databaseURL, "TOKEN_SECRET": tokenSecret}
}

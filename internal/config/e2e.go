package config

import "fmt"

// E2E is what the end-to-end suite reads (tests/).
type E2E struct {
	// Target is the suite's target name (CheckTargetName).
	Target string
	// DatabaseURL is an existing PostgreSQL; empty starts one.
	DatabaseURL string
	// Log logs every hop to stderr.
	Log bool
	// LocalStackImage, LocalStackAuthToken and PostgresImage configure the
	// localstack target's containers.
	LocalStackImage     string
	LocalStackAuthToken string
	PostgresImage       string
	// Region is the CLI's AWS_REGION (the aws target's region).
	Region string
}

// LoadE2E reads the suite's configuration.
func LoadE2E(lookup Lookup) (E2E, error) {
	r := &reader{lookup: lookup}
	e := E2E{
		Target:              r.get("COOLROOM_E2E_TARGET"),
		DatabaseURL:         r.get("DATABASE_URL"),
		Log:                 r.get("COOLROOM_E2E_LOG") == "1",
		LocalStackImage:     r.get("COOLROOM_LOCALSTACK_IMAGE"),
		LocalStackAuthToken: r.get("LOCALSTACK_AUTH_TOKEN"),
		PostgresImage:       r.get("POSTGRES_IMAGE"),
		Region:              r.get("AWS_REGION"),
	}
	if err := CheckTargetName(e.Target); err != nil {
		r.fail(fmt.Errorf("COOLROOM_E2E_TARGET: %w", err))
	}
	return e, r.err()
}

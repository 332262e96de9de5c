// Package config is the one place that reads the environment: every
// variable the CLI, the emulator binary, the data service's Lambda, the
// end-to-end tests and internal/browsertest honour is listed in Vars
// (name, default, meaning, and whether it is a secret), and read into a
// typed configuration by Load, LoadFunction or LoadE2E (or one at a time
// by Get). Every secret may instead be given as a file in NAME_FILE. The
// package uses the standard library only, so the Lambda binary that
// imports it stays small.
package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Lookup finds one environment variable, as os.LookupEnv does; tests pass
// a map's.
type Lookup func(name string) (string, bool)

// Map is a Lookup over fixed values.
func Map(m map[string]string) Lookup {
	return func(name string) (string, bool) {
		v, ok := m[name]
		return v, ok
	}
}

// reader reads variables from one Lookup, gathering the errors so that a
// user sees every bad variable at once.
type reader struct {
	lookup Lookup
	errs   []error
}

// get returns name's value: the variable when set and not empty, else for
// a secret the content of the file NAME_FILE names (trimmed), else the
// table's default.
func (r *reader) get(name string) string {
	v := lookupVar(name)
	if val, ok := r.lookup(name); ok && val != "" {
		return val
	}
	if v.Secret {
		if path, ok := r.lookup(name + "_FILE"); ok && path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				r.fail(fmt.Errorf("%s_FILE: %w", name, err))
				return ""
			}
			return strings.TrimSpace(string(b))
		}
	}
	return v.Default
}

// fail records a configuration error.
func (r *reader) fail(err error) { r.errs = append(r.errs, err) }

// err is every recorded error, nil when there is none.
func (r *reader) err() error { return errors.Join(r.errs...) }

// flag reads a yes/no variable: "1" or "true" (any case) is yes.
func (r *reader) flag(name string) bool {
	v := r.get(name)
	return v == "1" || strings.EqualFold(v, "true")
}

// Get returns one variable's value as the typed loaders read it (default
// applied, NAME_FILE read for secrets).
func Get(lookup Lookup, name string) (string, error) {
	r := &reader{lookup: lookup}
	v := r.get(name)
	return v, r.err()
}

package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/coolroom/testbed/deploy"
)

// modulePath is this project's module: `up` builds the Lambda from its
// source, so the checkout must be this module, not any Go project.
const modulePath = "github.com/coolroom/testbed"

// checkoutRoot returns the project checkout at or above dir. Outside it,
// the error gives the exact command to run: the checkout this binary was
// built from, when it is still on disk.
func checkoutRoot(dir string) (string, error) {
	root, err := deploy.FindModuleRoot(dir)
	if err == nil && moduleOf(filepath.Join(root, "go.mod")) == modulePath {
		return root, nil
	}
	abs, _ := filepath.Abs(dir)
	cmd := "cd <your coolroom checkout> && go run ./cmd/coolroom up"
	if src := builtFrom(); src != "" {
		cmd = fmt.Sprintf("cd %s && go run ./cmd/coolroom up", src)
	}
	return "", fmt.Errorf("%s is not inside the coolroom checkout: up builds the Lambda from the project's source, so run it there:\n\n    %s", abs, cmd)
}

// builtFrom is the checkout this binary was compiled from (the source
// path the compiler recorded; empty under -trimpath or when it is gone).
func builtFrom() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	root := filepath.Dir(filepath.Dir(filepath.Dir(file))) // …/cmd/coolroom/checkout.go
	if moduleOf(filepath.Join(root, "go.mod")) != modulePath {
		return ""
	}
	return root
}

// moduleOf reads the module path from a go.mod file ("" if unreadable).
func moduleOf(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// Package platform names the GOOS/GOARCH a Lambda binary is built for and
// says what that means, in the words `coolroom up`, the deployer and the
// emulator's console share.
package platform

import (
	"errors"
	"fmt"
	"runtime"
)

// Host is this machine's GOOS/GOARCH ("darwin/arm64"): what the embedded
// emulator executes natively.
func Host() string { return runtime.GOOS + "/" + runtime.GOARCH }

// Note says what a function built for goos/goarch means: on Linux it is
// what AWS runs; elsewhere it is a native build for the local emulator only.
func Note(goos, goarch string) string {
	if goos == "linux" {
		return "built for linux/" + goarch + ", the platform AWS runs it on"
	}
	return "built for " + goos + "/" + goarch + " to run natively; AWS and containers get linux/" + goarch
}

// LocalRunError says why goos cannot run the local stack (the emulator
// starts Lambda functions as Unix process groups, PostgreSQL runs from local
// binaries), or nil where it can: Linux and macOS.
func LocalRunError(goos string) error {
	switch goos {
	case "linux", "darwin":
		return nil
	case "windows":
		return errors.New("not supported on Windows: the emulator runs Lambda functions as Unix processes; run coolroom inside WSL2 (`wsl --install`, then follow the README's Linux lines there)")
	}
	return fmt.Errorf("not supported on %s: the local stack runs on Linux and macOS", goos)
}

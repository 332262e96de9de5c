package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
	"github.com/coolroom/testbed/internal/stack"
)

// errNoModule means the Lambda cannot be built here: no source checkout and
// no COOLROOM_LAMBDA_ZIP. Commands that only look a deployment up ignore it.
var errNoModule = errors.New("the Lambda cannot be built here")

// deployConfig builds the deployer's configuration for cfg.Target with
// stack.DeployConfig, as `up` does: the Lambda from COOLROOM_LAMBDA_ZIP or
// built from the checkout, for the platform the target runs. env is the
// function's environment (nil when only looking up or destroying).
func deployConfig(ctx context.Context, cfg config.Config, env map[string]string) (deploy.Config, error) {
	t := cfg.Target
	awsCfg, err := stack.AWSConfig(ctx, t.Name, cfg.Region)
	if err != nil {
		return deploy.Config{}, err
	}
	var zipData []byte
	var root string
	var buildErr error
	if t.ZipPath != "" {
		if zipData, err = os.ReadFile(t.ZipPath); err != nil {
			return deploy.Config{}, fmt.Errorf("COOLROOM_LAMBDA_ZIP: %w", err)
		}
	} else {
		wd, err := os.Getwd()
		if err != nil {
			return deploy.Config{}, err
		}
		if root, err = deploy.FindModuleRoot(wd); err != nil {
			// Still return the configuration: lookups and destroys need no build.
			buildErr = fmt.Errorf("%w: %v (or set COOLROOM_LAMBDA_ZIP)", errNoModule, err)
		}
	}
	goos, goarch := "linux", t.Arch
	if t.Name == config.TargetEmulator && zipData == nil {
		// Our emulator runs functions natively: darwin/<arch> when it runs
		// on a Mac (`coolroom emulator`), linux/<arch> in a container.
		if eos, earch, ok := deploy.EmulatorPlatform(ctx, t.Endpoint); ok {
			goos = eos
			if !t.ArchSet {
				goarch = earch
			}
		}
	}
	return stack.DeployConfig(stack.DeployOptions{
		Target:       t,
		AWS:          awsCfg,
		FunctionName: cfg.FunctionName,
		APIName:      cfg.APIName,
		Bucket:       cfg.Bucket,
		SourceDir:    root,
		GOOS:         goos,
		GOARCH:       goarch,
		LambdaZip:    zipData,
		Env:          env,
	}), buildErr
}

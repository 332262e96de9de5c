package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/deploy"
)

// targetVars configure `coolroom deploy` and `coolroom destroy`: where the
// AWS side is (shown by `coolroom help`).
var targetVars = []struct{ name, def, doc string }{
	{"COOLROOM_TARGET", "emulator", "emulator, localstack or aws: where deploy/destroy provision"},
	{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566", "the emulator's or LocalStack's URL (ignored for aws)"},
	{"COOLROOM_RUN_ID", "", "suffix for resource names, so parallel runs do not collide"},
	{"COOLROOM_LAMBDA_ARCH", "", "amd64 or arm64 for the Lambda binary (default: this machine's, or what the emulator runs)"},
	{"COOLROOM_LAMBDA_ZIP", "", "a prebuilt Lambda zip (`coolroom package`); unset builds one with the Go toolchain"},
}

// target is the resolved provisioning target.
type target struct {
	Name     string
	Endpoint string
	RunID    string
	Arch     string
	// ArchSet is true when COOLROOM_LAMBDA_ARCH chose Arch.
	ArchSet bool
	ZipPath string
}

func loadTarget() (target, error) {
	get := func(name string) string {
		for _, v := range targetVars {
			if v.name == name {
				if val := os.Getenv(name); val != "" {
					return val
				}
				return v.def
			}
		}
		panic("undocumented variable " + name)
	}
	t := target{Name: get("COOLROOM_TARGET"), Endpoint: get("AWS_ENDPOINT_URL"), RunID: get("COOLROOM_RUN_ID"),
		Arch: get("COOLROOM_LAMBDA_ARCH"), ZipPath: get("COOLROOM_LAMBDA_ZIP")}
	switch t.Name {
	case "emulator", "localstack":
	case "aws":
		t.Endpoint = ""
	default:
		return t, fmt.Errorf("COOLROOM_TARGET=%q: want emulator, localstack or aws", t.Name)
	}
	t.ArchSet = t.Arch != ""
	if t.Arch == "" {
		t.Arch = runtime.GOARCH
	}
	if t.Arch != "amd64" && t.Arch != "arm64" {
		return t, fmt.Errorf("COOLROOM_LAMBDA_ARCH=%q: want amd64 or arm64", t.Arch)
	}
	return t, nil
}

// name namespaces a resource name by the run id.
func (t target) name(base string) string {
	if t.RunID == "" {
		return base
	}
	return base + "-" + strings.ToLower(t.RunID)
}

// errNoModule means the Lambda cannot be built here: no source checkout and
// no COOLROOM_LAMBDA_ZIP. Commands that only look a deployment up ignore it.
var errNoModule = errors.New("the Lambda cannot be built here")

// awsConfig is the SDK configuration for the target: the standard
// credential chain on AWS, test credentials on the emulator and LocalStack.
func awsConfig(ctx context.Context, cfg config, t target) (aws.Config, error) {
	if t.Name != "aws" {
		return aws.Config{Region: cfg.Region, Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}, nil
	}
	c, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(cfg.Region))
	if err != nil {
		return c, fmt.Errorf("AWS credentials: %w", err)
	}
	return c, nil
}

// deployConfig builds the deployer's configuration for the target: the
// standard credential chain for AWS, LocalStack's test credentials otherwise.
func deployConfig(ctx context.Context, cfg config, t target) (deploy.Config, error) {
	awsCfg, err := awsConfig(ctx, cfg, t)
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
	if t.Name == "emulator" && zipData == nil {
		// Our emulator runs functions natively: darwin/<arch> when it runs
		// on a Mac (`coolroom emulator`), linux/<arch> in a container.
		if eos, earch, ok := deploy.EmulatorPlatform(ctx, t.Endpoint); ok {
			goos = eos
			if !t.ArchSet {
				goarch = earch
			}
		}
	}
	return deploy.Config{
		LambdaZip:    zipData,
		AWS:          awsCfg,
		EndpointURL:  t.Endpoint,
		SourceDir:    root,
		GOOS:         goos,
		GOARCH:       goarch,
		FunctionName: t.name(cfg.FunctionName),
		APIName:      t.name(cfg.APIName),
		Bucket:       t.name(cfg.Bucket),
		CreateRole:   t.Name == "aws",
		Static:       app.StaticFiles(),
	}, buildErr
}

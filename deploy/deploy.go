// Package deploy provisions the Cool Room on an AWS endpoint with
// aws-sdk-go-v2: the static-files bucket, the data-service Lambda, and an
// HTTP API (or, per target, a REST API) in front of it. The same code targets the emulator, LocalStack
// and real AWS; every step is idempotent, so a second run changes nothing.
package deploy

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coolroom/testbed/internal/platform"
)

// Config says what to deploy where.
type Config struct {
	// Logger receives one progress line per step.
	Logger *slog.Logger
	// AWS is the SDK configuration (credentials, region).
	AWS aws.Config
	// EndpointURL is the emulator's or LocalStack's URL; empty for real AWS.
	EndpointURL string
	// SourceDir is the module root the Lambda is built from.
	SourceDir string
	// GOOS and GOARCH of the Lambda binary. AWS, LocalStack and containers
	// run linux (the default); the embedded emulator runs functions as
	// native processes, so it gets the host's (runtime.GOOS). GOARCH
	// defaults to runtime.GOARCH.
	GOOS   string
	GOARCH string
	// FunctionName, APIName and Bucket name the resources.
	FunctionName string
	APIName      string
	Bucket       string
	// Role is the Lambda execution role ARN (the emulator accepts any).
	Role string
	// CreateRole makes the deployer create (and Destroy delete) an execution
	// role with the basic execution policy: for real AWS.
	CreateRole bool
	// Env is the function's environment (DATABASE_URL, secrets).
	Env map[string]string
	// Static is uploaded to the bucket under its own paths.
	Static fs.FS
	// Timeout is the function timeout in seconds (default 10).
	Timeout int32
	// Flavour picks the API Gateway kind: FlavourAuto (default) uses an
	// HTTP API where API Gateway v2 exists and a REST API proxy where it
	// answers 501, as LocalStack Community does.
	Flavour Flavour
	// Stage is the REST API stage name (default "api"); HTTP APIs use $default.
	Stage string
	// LambdaZip is a prebuilt deployment package (e.g. from the Dockerfile's
	// lambda-zip stage); empty builds one from SourceDir with the Go toolchain.
	LambdaZip []byte
	// ZipCache keeps built zips keyed by their inputs; nil uses
	// DefaultZipCache, and NoZipCache always builds.
	ZipCache   *ZipCache
	NoZipCache bool
	// SkipHealthCheck skips calling GET /health through the new API, for
	// targets where the caller cannot reach the invoke URL.
	SkipHealthCheck bool
}

// Result is what a deploy created or found.
type Result struct {
	FunctionARN string
	APIID       string
	// InvokeURL is the base URL of the data API, without a trailing slash.
	InvokeURL string
	Bucket    string
	// Flavour is the kind of API that was deployed.
	Flavour Flavour
	// Routes counts the API's routes (HTTP API) or methods (REST API).
	Routes int
	// Uploaded counts static files written (0 when all were current).
	Uploaded int
	// Changed lists what this run created or updated.
	Changed []string
	// Built says which platform the Lambda was built for and what that
	// means (platform.Note); empty when a prebuilt zip was deployed.
	Built string
}

// Deployer holds the SDK clients for one target.
type Deployer struct {
	cfg    Config
	log    *slog.Logger
	s3     *s3.Client
	lambda *lambda.Client
	apigw  *apigatewayv2.Client
	rest   *apigateway.Client
	iam    *iam.Client
}

// New returns a Deployer for cfg.
func New(cfg Config) *Deployer {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.GOOS == "" {
		cfg.GOOS = "linux"
	}
	if cfg.GOARCH == "" {
		cfg.GOARCH = runtime.GOARCH
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10
	}
	if cfg.Stage == "" {
		cfg.Stage = "api"
	}
	if cfg.Role == "" && !cfg.CreateRole {
		cfg.Role = "arn:aws:iam::000000000000:role/coolroom-lambda"
	}
	var base *string
	if cfg.EndpointURL != "" {
		base = aws.String(cfg.EndpointURL)
	}
	return &Deployer{
		cfg: cfg,
		log: cfg.Logger,
		s3: s3.NewFromConfig(cfg.AWS, func(o *s3.Options) {
			o.BaseEndpoint = base
			// Path style works on the emulator and LocalStack without
			// wildcard DNS, and on AWS too.
			o.UsePathStyle = base != nil
		}),
		lambda: lambda.NewFromConfig(cfg.AWS, func(o *lambda.Options) { o.BaseEndpoint = base }),
		apigw:  apigatewayv2.NewFromConfig(cfg.AWS, func(o *apigatewayv2.Options) { o.BaseEndpoint = base }),
		rest:   apigateway.NewFromConfig(cfg.AWS, func(o *apigateway.Options) { o.BaseEndpoint = base }),
		iam:    iam.NewFromConfig(cfg.AWS, func(o *iam.Options) { o.BaseEndpoint = base }),
	}
}

// Deploy provisions everything and returns the data API's invoke URL.
func (d *Deployer) Deploy(ctx context.Context) (*Result, error) {
	res := &Result{Bucket: d.cfg.Bucket}
	start := time.Now()
	if err := d.ensureBucket(ctx, res); err != nil {
		return nil, fmt.Errorf("deploy bucket %s: %w", d.cfg.Bucket, err)
	}
	if err := d.uploadStatic(ctx, res); err != nil {
		return nil, fmt.Errorf("deploy static files: %w", err)
	}
	if d.cfg.CreateRole {
		arn, err := d.ensureRole(ctx, res)
		if err != nil {
			return nil, fmt.Errorf("deploy execution role: %w", err)
		}
		d.cfg.Role = arn
	}
	zipData := d.cfg.LambdaZip
	if len(zipData) == 0 {
		var err error
		if zipData, err = d.LambdaZip(ctx); err != nil {
			return nil, err
		}
		res.Built = platform.Note(d.cfg.GOOS, d.cfg.GOARCH)
	}
	if err := d.ensureFunction(ctx, zipData, res); err != nil {
		return nil, fmt.Errorf("deploy function %s: %w", d.cfg.FunctionName, err)
	}
	flavour, err := d.chooseFlavour(ctx)
	if err != nil {
		return nil, err
	}
	res.Flavour = flavour
	if flavour == FlavourREST {
		err = d.ensureRESTAPI(ctx, res)
	} else {
		err = d.ensureAPI(ctx, res)
	}
	if err != nil {
		return nil, fmt.Errorf("deploy %s API %s: %w", flavour, d.cfg.APIName, err)
	}
	// A new function turns Active while the API is set up; it must be
	// before anyone invokes it.
	if err := d.waitActive(ctx); err != nil {
		return nil, fmt.Errorf("deploy function %s: %w", d.cfg.FunctionName, err)
	}
	if !d.cfg.SkipHealthCheck {
		if err := d.WaitHealthy(ctx, res.InvokeURL); err != nil {
			return nil, err
		}
	}
	d.log.Info("deployed", "invoke_url", res.InvokeURL, "changed", strings.Join(res.Changed, ", "), "took", time.Since(start).Round(time.Millisecond))
	return res, nil
}

// LambdaZip builds the data service's zip from SourceDir, or reuses the
// cached one when its inputs have not changed.
func (d *Deployer) LambdaZip(ctx context.Context) ([]byte, error) {
	start := time.Now()
	cache, ok := DefaultZipCache()
	if d.cfg.ZipCache != nil {
		cache, ok = *d.cfg.ZipCache, true
	}
	if !ok || d.cfg.NoZipCache {
		d.log.Info("building the Lambda bootstrap", "goos", d.cfg.GOOS, "goarch", d.cfg.GOARCH, "package", LambdaPackage,
			"note", platform.Note(d.cfg.GOOS, d.cfg.GOARCH))
		data, err := BuildLambdaZip(ctx, d.cfg.SourceDir, d.cfg.GOOS, d.cfg.GOARCH)
		if err == nil {
			d.log.Info("built the Lambda zip", "bytes", len(data), "took", time.Since(start).Round(time.Millisecond))
		}
		return data, err
	}
	data, hit, err := cache.LambdaZip(ctx, d.cfg.SourceDir, d.cfg.GOOS, d.cfg.GOARCH)
	if err != nil {
		return nil, err
	}
	if hit {
		d.log.Info("reused the Lambda zip: its sources have not changed", "bytes", len(data), "cache", cache.Dir, "took", time.Since(start).Round(time.Millisecond))
	} else {
		d.log.Info("built the Lambda zip", "goos", d.cfg.GOOS, "goarch", d.cfg.GOARCH, "bytes", len(data), "took", time.Since(start).Round(time.Millisecond),
			"note", platform.Note(d.cfg.GOOS, d.cfg.GOARCH))
	}
	return data, nil
}

func (r *Result) changed(what string) { r.Changed = append(r.Changed, what) }

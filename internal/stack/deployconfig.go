package stack

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/config"
)

// DeployOptions are what a deployment of the data service is made of.
type DeployOptions struct {
	Logger *slog.Logger
	// Target names the AWS side, its endpoint (empty on AWS) and the run
	// id that namespaces the resource names.
	Target config.Target
	AWS    aws.Config
	// FunctionName, APIName and Bucket are the names before the run id.
	FunctionName string
	APIName      string
	Bucket       string
	// SourceDir, GOOS and GOARCH build the Lambda, unless LambdaZip is given.
	SourceDir string
	GOOS      string
	GOARCH    string
	LambdaZip []byte
	// Env is the function's environment (config.FunctionEnv); nil when
	// the deployment is only looked up or destroyed.
	Env map[string]string
}

// DeployConfig is the deployer's configuration. Start (`up` and the e2e
// suite) and `coolroom deploy`, `destroy` and `app` all build theirs here,
// so they deploy, find and remove the same resources.
func DeployConfig(o DeployOptions) deploy.Config {
	t := o.Target
	return deploy.Config{
		Logger:       o.Logger,
		AWS:          o.AWS,
		EndpointURL:  t.Endpoint,
		SourceDir:    o.SourceDir,
		GOOS:         o.GOOS,
		GOARCH:       o.GOARCH,
		LambdaZip:    o.LambdaZip,
		FunctionName: t.Namespace(o.FunctionName),
		APIName:      t.Namespace(o.APIName),
		Bucket:       t.Namespace(o.Bucket),
		// Only real AWS needs an execution role; the emulator and
		// LocalStack accept any role ARN.
		CreateRole: t.Name == config.TargetAWS,
		Env:        o.Env,
		Static:     app.StaticFiles(),
	}
}

// AWSConfig is the SDK configuration for a target: the standard credential
// chain on AWS; on the emulator and LocalStack, which accept any key, the
// test credentials.
func AWSConfig(ctx context.Context, target, region string) (aws.Config, error) {
	if target != config.TargetAWS {
		return aws.Config{Region: region, Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}, nil
	}
	c, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		return c, fmt.Errorf("AWS credentials: %w", err)
	}
	return c, nil
}

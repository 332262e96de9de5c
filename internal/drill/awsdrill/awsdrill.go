// Package awsdrill runs the drills of package drill through the AWS SDK's
// Lambda client, against the emulator, LocalStack or AWS.
package awsdrill

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/internal/drill"
)

// API implements drill.API with a Lambda client.
type API struct{ Client *lambda.Client }

// New returns an API over cfg; a non-empty endpoint replaces AWS's.
func New(cfg aws.Config, endpoint string) API {
	return API{Client: lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})}
}

// GetFunction reads the environment, timeout and reserved concurrency.
func (a API) GetFunction(ctx context.Context, name string) (drill.Function, error) {
	out, err := a.Client.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		return drill.Function{}, err
	}
	f := drill.Function{}
	if c := out.Configuration; c != nil {
		f.Timeout = aws.ToInt32(c.Timeout)
		if c.Environment != nil {
			f.Env = c.Environment.Variables
		}
	}
	if out.Concurrency != nil {
		f.Reserved = out.Concurrency.ReservedConcurrentExecutions
	}
	return f, nil
}

// UpdateConfiguration sets the environment and timeout and waits until
// the function is updated (LastUpdateStatus Successful).
func (a API) UpdateConfiguration(ctx context.Context, name string, env map[string]string, timeout int32) error {
	_, err := a.Client.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(name), Environment: &types.Environment{Variables: env}, Timeout: aws.Int32(timeout)})
	if err != nil {
		return err
	}
	return lambda.NewFunctionUpdatedV2Waiter(a.Client).Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)}, time.Minute)
}

// PutConcurrency reserves n concurrent executions.
func (a API) PutConcurrency(ctx context.Context, name string, n int32) error {
	_, err := a.Client.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{
		FunctionName: aws.String(name), ReservedConcurrentExecutions: aws.Int32(n)})
	return err
}

// DeleteConcurrency removes the reservation.
func (a API) DeleteConcurrency(ctx context.Context, name string) error {
	_, err := a.Client.DeleteFunctionConcurrency(ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String(name)})
	return err
}

package deploy

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// waitTimeout bounds how long a function may stay Pending or InProgress.
const waitTimeout = 5 * time.Minute

// ensureFunction creates the function, or updates its code and
// configuration where they differ. It does not wait for a new function to
// become Active: the API can be set up meanwhile (Deploy waits before the
// first invocation).
func (d *Deployer) ensureFunction(ctx context.Context, zipData []byte, res *Result) error {
	name := aws.String(d.cfg.FunctionName)
	arch := types.ArchitectureX8664
	if d.cfg.GOARCH == "arm64" {
		arch = types.ArchitectureArm64
	}
	got, err := d.lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: name})
	var notFound *types.ResourceNotFoundException
	switch {
	case errors.As(err, &notFound):
		var out *lambda.CreateFunctionOutput
		err := retryWhileRoleNotReady(ctx, func() (err error) {
			out, err = d.lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
				FunctionName:  name,
				Runtime:       types.RuntimeProvidedal2023,
				Handler:       aws.String("bootstrap"),
				Role:          aws.String(d.cfg.Role),
				Code:          &types.FunctionCode{ZipFile: zipData},
				Architectures: []types.Architecture{arch},
				Timeout:       aws.Int32(d.cfg.Timeout),
				MemorySize:    aws.Int32(256),
				Environment:   &types.Environment{Variables: d.cfg.Env},
				Description:   aws.String("The Cool Room data service"),
			})
			return err
		})
		if err != nil {
			return err
		}
		res.FunctionARN = aws.ToString(out.FunctionArn)
		res.changed("function")
		d.log.Info("function created", "function", d.cfg.FunctionName)
		return nil
	case err != nil:
		return err
	}
	cfg := got.Configuration
	changesBefore := len(res.Changed)
	res.FunctionARN = aws.ToString(cfg.FunctionArn)
	if aws.ToString(cfg.CodeSha256) != codeSHA256(zipData) {
		if _, err := d.lambda.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{
			FunctionName: name, ZipFile: zipData, Architectures: []types.Architecture{arch},
		}); err != nil {
			return err
		}
		res.changed("function code")
		d.log.Info("function code updated", "function", d.cfg.FunctionName)
		if err := d.waitUpdated(ctx); err != nil {
			return err
		}
	}
	var current map[string]string
	if cfg.Environment != nil {
		current = cfg.Environment.Variables
	}
	if !maps.Equal(current, d.cfg.Env) || aws.ToInt32(cfg.Timeout) != d.cfg.Timeout {
		if _, err := d.lambda.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
			FunctionName: name, Environment: &types.Environment{Variables: d.cfg.Env}, Timeout: aws.Int32(d.cfg.Timeout),
		}); err != nil {
			return err
		}
		res.changed("function configuration")
		d.log.Info("function configuration updated", "function", d.cfg.FunctionName)
		if err := d.waitUpdated(ctx); err != nil {
			return err
		}
	}
	if len(res.Changed) == changesBefore {
		d.log.Info("function is current", "function", d.cfg.FunctionName)
	}
	return nil
}

func (d *Deployer) waitActive(ctx context.Context) error {
	w := lambda.NewFunctionActiveV2Waiter(d.lambda, func(o *lambda.FunctionActiveV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 5*time.Second
	})
	return w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(d.cfg.FunctionName)}, waitTimeout)
}

func (d *Deployer) waitUpdated(ctx context.Context) error {
	w := lambda.NewFunctionUpdatedV2Waiter(d.lambda, func(o *lambda.FunctionUpdatedV2WaiterOptions) {
		o.MinDelay, o.MaxDelay = 100*time.Millisecond, 5*time.Second
	})
	return w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(d.cfg.FunctionName)}, waitTimeout)
}

func codeSHA256(zipData []byte) string {
	sum := sha256.Sum256(zipData)
	return base64.StdEncoding.EncodeToString(sum[:])
}

package deploy

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// lambdaTrustPolicy lets the Lambda service assume the execution role.
const lambdaTrustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// basicExecutionPolicy lets the function write its logs to CloudWatch.
const basicExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"

// RoleName is the execution role a deploy creates for the function.
func (d *Deployer) RoleName() string { return d.cfg.FunctionName + "-role" }

// ensureRole finds or creates the execution role (real AWS only; the
// emulators accept any role ARN) and returns its ARN.
func (d *Deployer) ensureRole(ctx context.Context, res *Result) (string, error) {
	got, err := d.iam.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(d.RoleName())})
	if err == nil {
		return aws.ToString(got.Role.Arn), nil
	}
	var missing *iamtypes.NoSuchEntityException
	if !errors.As(err, &missing) {
		return "", err
	}
	out, err := d.iam.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String(d.RoleName()),
		AssumeRolePolicyDocument: aws.String(lambdaTrustPolicy),
		Description:              aws.String("Execution role of the Cool Room data service"),
	})
	if err != nil {
		return "", err
	}
	if _, err := d.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{
		RoleName: aws.String(d.RoleName()), PolicyArn: aws.String(basicExecutionPolicy),
	}); err != nil {
		return "", err
	}
	res.changed("execution role")
	d.log.Info("execution role created; IAM takes a few seconds to propagate", "role", d.RoleName())
	return aws.ToString(out.Role.Arn), nil
}

// roleNotReady reports the error CreateFunction gives while a new role has
// not propagated through IAM yet.
func roleNotReady(err error) bool {
	var bad *types.InvalidParameterValueException
	return errors.As(err, &bad) && strings.Contains(aws.ToString(bad.Message), "cannot be assumed")
}

// retryWhileRoleNotReady retries create while IAM propagates a new role.
func retryWhileRoleNotReady(ctx context.Context, create func() error) error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := create()
		if err == nil || !roleNotReady(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(3 * time.Second):
		}
	}
}

package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Destroy removes everything Deploy creates, by name: the API (either
// flavour), the function, the execution role when CreateRole is set, and
// the bucket with its objects. What is already gone is skipped, so it can
// be run again after a partial failure.
func (d *Deployer) Destroy(ctx context.Context) ([]string, error) {
	var removed []string
	var errs []error
	step := func(what string, err error, did bool) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		} else if did {
			removed = append(removed, what)
			d.log.Info("removed", "what", what)
		}
	}
	did, err := d.destroyHTTPAPI(ctx)
	step("http api "+d.cfg.APIName, err, did)
	did, err = d.destroyRESTAPI(ctx)
	step("rest api "+d.cfg.APIName, err, did)
	_, err = d.lambda.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(d.cfg.FunctionName)})
	var noFn *lambdatypes.ResourceNotFoundException
	step("function "+d.cfg.FunctionName, ignore(err, errors.As(err, &noFn)), err == nil)
	if d.cfg.CreateRole {
		did, err = d.destroyRole(ctx)
		step("role "+d.RoleName(), err, did)
	}
	did, err = d.destroyBucket(ctx)
	step("bucket "+d.cfg.Bucket, err, did)
	return removed, errors.Join(errs...)
}

func ignore(err error, notFound bool) error {
	if notFound {
		return nil
	}
	return err
}

func (d *Deployer) destroyHTTPAPI(ctx context.Context) (bool, error) {
	api, err := d.findAPI(ctx)
	if err != nil {
		if v2Unavailable(err) {
			return false, nil
		}
		return false, err
	}
	if api == nil {
		return false, nil
	}
	_, err = d.apigw.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: api.ApiId})
	return err == nil, err
}

func (d *Deployer) destroyRESTAPI(ctx context.Context) (bool, error) {
	api, err := d.findRESTAPI(ctx)
	if err != nil || api == nil {
		return false, err
	}
	_, err = d.rest.DeleteRestApi(ctx, &apigateway.DeleteRestApiInput{RestApiId: api.Id})
	return err == nil, err
}

func (d *Deployer) destroyRole(ctx context.Context) (bool, error) {
	name := aws.String(d.RoleName())
	_, err := d.iam.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: name, PolicyArn: aws.String(basicExecutionPolicy)})
	var missing *iamtypes.NoSuchEntityException
	if err != nil && !errors.As(err, &missing) {
		return false, err
	}
	_, err = d.iam.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name})
	if errors.As(err, &missing) {
		return false, nil
	}
	return err == nil, err
}

// destroyBucket deletes every object (in pages of up to 1,000), then the bucket.
func (d *Deployer) destroyBucket(ctx context.Context) (bool, error) {
	bucket := aws.String(d.cfg.Bucket)
	pages := s3.NewListObjectsV2Paginator(d.s3, &s3.ListObjectsV2Input{Bucket: bucket})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		var noBucket *s3types.NoSuchBucket
		if errors.As(err, &noBucket) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		if len(page.Contents) == 0 {
			break
		}
		ids := make([]s3types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = s3types.ObjectIdentifier{Key: o.Key}
		}
		if _, err := d.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: bucket, Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return false, err
		}
	}
	_, err := d.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bucket})
	return err == nil, err
}

package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	resttypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// ensureRESTAPI finds or creates a REST API proxy: ANY on the root and on
// {proxy+}, both AWS_PROXY to the function, deployed to the stage. A
// deployment is made only when something changed.
func (d *Deployer) ensureRESTAPI(ctx context.Context, res *Result) error {
	api, err := d.findRESTAPI(ctx)
	if err != nil {
		return err
	}
	changed := false
	if api == nil {
		out, err := d.rest.CreateRestApi(ctx, &apigateway.CreateRestApiInput{
			Name: aws.String(d.cfg.APIName), Description: aws.String("The Cool Room data API"),
		})
		if err != nil {
			return err
		}
		api = &resttypes.RestApi{Id: out.Id, Name: out.Name, RootResourceId: out.RootResourceId}
		res.changed("rest api")
		changed = true
		d.log.Info("REST API created", "api_id", aws.ToString(api.Id))
	}
	apiID := aws.ToString(api.Id)
	res.APIID = apiID
	resources, err := d.rest.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api.Id, Embed: []string{"methods"}})
	if err != nil {
		return err
	}
	var root, proxy *resttypes.Resource
	for i := range resources.Items {
		switch aws.ToString(resources.Items[i].Path) {
		case "/":
			root = &resources.Items[i]
		case "/{proxy+}":
			proxy = &resources.Items[i]
		}
	}
	if root == nil {
		return fmt.Errorf("REST API %s has no root resource", apiID)
	}
	if proxy == nil {
		out, err := d.rest.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api.Id, ParentId: root.Id, PathPart: aws.String("{proxy+}")})
		if err != nil {
			return err
		}
		proxy = &resttypes.Resource{Id: out.Id, Path: out.Path}
		res.changed("resource {proxy+}")
		changed = true
	}
	region := arnPart(res.FunctionARN, 3)
	uri := fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, res.FunctionARN)
	for _, r := range []*resttypes.Resource{root, proxy} {
		did, err := d.ensureProxyMethod(ctx, api.Id, r, uri)
		if err != nil {
			return fmt.Errorf("method ANY %s: %w", aws.ToString(r.Path), err)
		}
		changed = changed || did
	}
	if changed || !d.restStageExists(ctx, api.Id) {
		if _, err := d.rest.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String(d.cfg.Stage)}); err != nil {
			return err
		}
		res.changed("deployment to stage " + d.cfg.Stage)
	}
	if err := d.ensureInvokePermission(ctx, fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/*/*", region, arnPart(res.FunctionARN, 4), apiID), res); err != nil {
		return err
	}
	if d.cfg.EndpointURL != "" {
		res.InvokeURL = strings.TrimSuffix(d.cfg.EndpointURL, "/") + "/_aws/execute-api/" + apiID + "/" + d.cfg.Stage
	} else {
		res.InvokeURL = fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", apiID, region, d.cfg.Stage)
	}
	return nil
}

// ensureProxyMethod puts ANY with an AWS_PROXY integration on r unless it is
// already there with the same URI; it reports whether it changed anything.
func (d *Deployer) ensureProxyMethod(ctx context.Context, apiID *string, r *resttypes.Resource, uri string) (bool, error) {
	if m, ok := r.ResourceMethods["ANY"]; ok && m.MethodIntegration != nil && aws.ToString(m.MethodIntegration.Uri) == uri {
		return false, nil
	}
	if _, ok := r.ResourceMethods["ANY"]; !ok {
		if _, err := d.rest.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: apiID, ResourceId: r.Id, HttpMethod: aws.String("ANY"), AuthorizationType: aws.String("NONE")}); err != nil {
			return false, err
		}
	}
	_, err := d.rest.PutIntegration(ctx, &apigateway.PutIntegrationInput{
		RestApiId: apiID, ResourceId: r.Id, HttpMethod: aws.String("ANY"),
		Type: resttypes.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(uri),
	})
	return err == nil, err
}

func (d *Deployer) restStageExists(ctx context.Context, apiID *string) bool {
	_, err := d.rest.GetStage(ctx, &apigateway.GetStageInput{RestApiId: apiID, StageName: aws.String(d.cfg.Stage)})
	return err == nil
}

func (d *Deployer) findRESTAPI(ctx context.Context) (*resttypes.RestApi, error) {
	var position *string
	for {
		out, err := d.rest.GetRestApis(ctx, &apigateway.GetRestApisInput{Position: position, Limit: aws.Int32(500)})
		if err != nil {
			return nil, err
		}
		for i := range out.Items {
			if aws.ToString(out.Items[i].Name) == d.cfg.APIName {
				return &out.Items[i], nil
			}
		}
		if out.Position == nil || len(out.Items) == 0 {
			return nil, nil
		}
		position = out.Position
	}
}

// ensureInvokePermission lets API Gateway invoke the function (required on
// AWS, stored by the emulators); an existing statement is kept.
func (d *Deployer) ensureInvokePermission(ctx context.Context, sourceARN string, res *Result) error {
	_, err := d.lambda.AddPermission(ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String(d.cfg.FunctionName),
		StatementId:  aws.String(permissionID),
		Action:       aws.String("lambda:InvokeFunction"),
		Principal:    aws.String("apigateway.amazonaws.com"),
		SourceArn:    aws.String(sourceARN),
	})
	var conflict *lambdatypes.ResourceConflictException
	if errors.As(err, &conflict) {
		return nil
	}
	if err != nil {
		return err
	}
	res.changed("invoke permission")
	return nil
}

// arnPart returns field i of an ARN (3 = region, 4 = account).
func arnPart(arn string, i int) string {
	parts := strings.Split(arn, ":")
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// permissionID names the statement letting API Gateway invoke the function.
const permissionID = "coolroom-apigateway-invoke"

// ensureAPI finds or creates the HTTP API by name, its Lambda proxy
// integration (payload 2.0), routes and auto-deployed $default stage.
func (d *Deployer) ensureAPI(ctx context.Context, res *Result) error {
	api, err := d.findAPI(ctx)
	if err != nil {
		return err
	}
	if api == nil {
		out, err := d.apigw.CreateApi(ctx, &apigatewayv2.CreateApiInput{
			Name: aws.String(d.cfg.APIName), ProtocolType: apitypes.ProtocolTypeHttp,
			Description: aws.String("The Cool Room data API"),
		})
		if err != nil {
			return err
		}
		api = &apitypes.Api{ApiId: out.ApiId, ApiEndpoint: out.ApiEndpoint, Name: out.Name}
		res.changed("http api")
		d.log.Info("HTTP API created", "api_id", aws.ToString(api.ApiId))
	}
	apiID := aws.ToString(api.ApiId)
	res.APIID = apiID
	integrationID, err := d.ensureIntegration(ctx, apiID, res)
	if err != nil {
		return err
	}
	if err := d.ensureRoutes(ctx, apiID, integrationID, res); err != nil {
		return err
	}
	if err := d.ensureStage(ctx, apiID, res); err != nil {
		return err
	}
	if err := d.ensurePermission(ctx, apiID, res); err != nil {
		return err
	}
	res.InvokeURL = strings.TrimSuffix(aws.ToString(api.ApiEndpoint), "/")
	if d.cfg.EndpointURL != "" {
		// The emulator's and LocalStack's path form needs no wildcard DNS.
		res.InvokeURL = strings.TrimSuffix(d.cfg.EndpointURL, "/") + "/_aws/execute-api/" + apiID
	}
	return nil
}

func (d *Deployer) findAPI(ctx context.Context) (*apitypes.Api, error) {
	var token *string
	for {
		out, err := d.apigw.GetApis(ctx, &apigatewayv2.GetApisInput{NextToken: token})
		if err != nil {
			return nil, err
		}
		for _, a := range out.Items {
			if aws.ToString(a.Name) == d.cfg.APIName {
				return &a, nil
			}
		}
		if out.NextToken == nil {
			return nil, nil
		}
		token = out.NextToken
	}
}

func (d *Deployer) ensureIntegration(ctx context.Context, apiID string, res *Result) (string, error) {
	out, err := d.apigw.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID)})
	if err != nil {
		return "", err
	}
	for _, i := range out.Items {
		if aws.ToString(i.IntegrationUri) == res.FunctionARN && aws.ToString(i.PayloadFormatVersion) == "2.0" {
			return aws.ToString(i.IntegrationId), nil
		}
	}
	created, err := d.apigw.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId:                aws.String(apiID),
		IntegrationType:      apitypes.IntegrationTypeAwsProxy,
		IntegrationUri:       aws.String(res.FunctionARN),
		PayloadFormatVersion: aws.String("2.0"),
		TimeoutInMillis:      aws.Int32(30000),
	})
	if err != nil {
		return "", err
	}
	res.changed("integration")
	return aws.ToString(created.IntegrationId), nil
}

// ensureRoutes makes the API's routes exactly httpRouteKeys, each targeting
// the integration: missing ones are created, others retargeted, and routes
// no longer wanted (such as an earlier deploy's "ANY /{proxy+}") deleted.
func (d *Deployer) ensureRoutes(ctx context.Context, apiID, integrationID string, res *Result) error {
	existing := map[string]apitypes.Route{}
	var token *string
	for {
		out, err := d.apigw.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID), NextToken: token})
		if err != nil {
			return err
		}
		for _, r := range out.Items {
			existing[aws.ToString(r.RouteKey)] = r
		}
		if out.NextToken == nil || len(out.Items) == 0 {
			break
		}
		token = out.NextToken
	}
	target := "integrations/" + integrationID
	want := map[string]bool{}
	for _, key := range httpRouteKeys() {
		want[key] = true
		if r, ok := existing[key]; ok {
			if aws.ToString(r.Target) == target {
				continue
			}
			if _, err := d.apigw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{
				ApiId: aws.String(apiID), RouteId: r.RouteId, Target: aws.String(target),
			}); err != nil {
				return err
			}
			res.changed("route " + key)
			continue
		}
		if _, err := d.apigw.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
			ApiId: aws.String(apiID), RouteKey: aws.String(key), Target: aws.String(target),
		}); err != nil {
			return fmt.Errorf("route %q: %w", key, err)
		}
		res.changed("route " + key)
	}
	for key, r := range existing {
		if want[key] {
			continue
		}
		if _, err := d.apigw.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: aws.String(apiID), RouteId: r.RouteId}); err != nil {
			return fmt.Errorf("remove route %q: %w", key, err)
		}
		res.changed("removed route " + key)
	}
	res.Routes = len(want)
	return nil
}

func (d *Deployer) ensureStage(ctx context.Context, apiID string, res *Result) error {
	_, err := d.apigw.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String("$default")})
	var notFound *apitypes.NotFoundException
	if err == nil {
		return nil
	}
	if !errors.As(err, &notFound) {
		return err
	}
	if _, err := d.apigw.CreateStage(ctx, &apigatewayv2.CreateStageInput{
		ApiId: aws.String(apiID), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
	}); err != nil {
		return err
	}
	res.changed("stage $default")
	return nil
}

// ensurePermission lets API Gateway invoke the function through this API.
func (d *Deployer) ensurePermission(ctx context.Context, apiID string, res *Result) error {
	if arnPart(res.FunctionARN, 4) == "" {
		return fmt.Errorf("unexpected function ARN %q", res.FunctionARN)
	}
	return d.ensureInvokePermission(ctx, fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/*", arnPart(res.FunctionARN, 3), arnPart(res.FunctionARN, 4), apiID), res)
}

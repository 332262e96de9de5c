package emulator_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/smithy-go"
)

// gatewayClient is an API Gateway v2 client signing for region.
func gatewayClient(srv *httptest.Server, region string) *apigatewayv2.Client {
	cfg := testConfig()
	cfg.Region = region
	return apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
}

// wantAPIError fails unless err is an API error with the given code.
func wantAPIError(t *testing.T, code, what string, err error) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Errorf("%s: err = %v, want %s", what, err, code)
	}
}

func TestHTTPAPIControlPlaneGetUpdateDelete(t *testing.T) {
	_, srv, _ := startEmulator(t)
	gw := gatewayClient(srv, "eu-west-1")
	ctx := context.Background()
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("cp"), ProtocolType: apitypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	fnARN := "arn:aws:lambda:eu-west-1:000000000000:function:one"
	integ, err := gw.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{ApiId: api.ApiId,
		IntegrationType: apitypes.IntegrationTypeAwsProxy, IntegrationUri: aws.String(fnARN), PayloadFormatVersion: aws.String("2.0")})
	if err != nil {
		t.Fatal(err)
	}

	// UpdateIntegration changes only the fields sent; GetIntegration shows them.
	if _, err := gw.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId,
		TimeoutInMillis: aws.Int32(5000), Description: aws.String("shorter")}); err != nil {
		t.Fatal(err)
	}
	gotInteg, err := gw.GetIntegration(ctx, &apigatewayv2.GetIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(gotInteg.TimeoutInMillis) != 5000 || aws.ToString(gotInteg.Description) != "shorter" ||
		aws.ToString(gotInteg.IntegrationUri) != fnARN || aws.ToString(gotInteg.PayloadFormatVersion) != "2.0" {
		t.Errorf("after update: timeout %d, description %q, uri %q, version %q", aws.ToInt32(gotInteg.TimeoutInMillis),
			aws.ToString(gotInteg.Description), aws.ToString(gotInteg.IntegrationUri), aws.ToString(gotInteg.PayloadFormatVersion))
	}
	_, err = gw.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId, TimeoutInMillis: aws.Int32(10)})
	wantAPIError(t, "BadRequestException", "timeout 10 ms", err)
	if again, _ := gw.GetIntegration(ctx, &apigatewayv2.GetIntegrationInput{ApiId: api.ApiId, IntegrationId: integ.IntegrationId}); aws.ToInt32(again.TimeoutInMillis) != 5000 {
		t.Errorf("a refused update changed the timeout to %d", aws.ToInt32(again.TimeoutInMillis))
	}

	// GetRoute and UpdateRoute.
	rt, err := gw.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{ApiId: api.ApiId, RouteKey: aws.String("GET /a"), Target: aws.String("integrations/" + *integ.IntegrationId)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gw.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{ApiId: api.ApiId, RouteId: rt.RouteId, RouteKey: aws.String("POST /b")}); err != nil {
		t.Fatal(err)
	}
	gotRoute, err := gw.GetRoute(ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: rt.RouteId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(gotRoute.RouteKey) != "POST /b" || aws.ToString(gotRoute.Target) != "integrations/"+*integ.IntegrationId {
		t.Errorf("GetRoute = %q → %q", aws.ToString(gotRoute.RouteKey), aws.ToString(gotRoute.Target))
	}
	_, err = gw.GetRoute(ctx, &apigatewayv2.GetRouteInput{ApiId: api.ApiId, RouteId: aws.String("nope")})
	wantAPIError(t, "NotFoundException", "GetRoute unknown", err)

	// Stages, deployments: UpdateStage, GetDeployment, DeleteDeployment.
	if _, err := gw.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("dev")}); err != nil {
		t.Fatal(err)
	}
	d1, err := gw.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, StageName: aws.String("dev"), Description: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := gw.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: api.ApiId, Description: aws.String("second")})
	if err != nil {
		t.Fatal(err)
	}
	gotDep, err := gw.GetDeployment(ctx, &apigatewayv2.GetDeploymentInput{ApiId: api.ApiId, DeploymentId: d1.DeploymentId})
	if err != nil || aws.ToString(gotDep.Description) != "first" || gotDep.DeploymentStatus != apitypes.DeploymentStatusDeployed {
		t.Fatalf("GetDeployment = %+v, %v", gotDep, err)
	}
	_, err = gw.DeleteDeployment(ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api.ApiId, DeploymentId: d1.DeploymentId})
	wantAPIError(t, "BadRequestException", "delete the deployment a stage uses", err)
	if _, err := gw.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("dev"),
		DeploymentId: d2.DeploymentId, Description: aws.String("moved"), StageVariables: map[string]string{"v": "1"}}); err != nil {
		t.Fatal(err)
	}
	st, err := gw.GetStage(ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("dev")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(st.DeploymentId) != *d2.DeploymentId || aws.ToString(st.Description) != "moved" || st.StageVariables["v"] != "1" {
		t.Errorf("GetStage after update: deployment %q description %q variables %v", aws.ToString(st.DeploymentId), aws.ToString(st.Description), st.StageVariables)
	}
	_, err = gw.UpdateStage(ctx, &apigatewayv2.UpdateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), Description: aws.String("x")})
	wantAPIError(t, "NotFoundException", "UpdateStage unknown", err)
	if _, err := gw.DeleteDeployment(ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api.ApiId, DeploymentId: d1.DeploymentId}); err != nil {
		t.Fatal(err)
	}
	_, err = gw.GetDeployment(ctx, &apigatewayv2.GetDeploymentInput{ApiId: api.ApiId, DeploymentId: d1.DeploymentId})
	wantAPIError(t, "NotFoundException", "GetDeployment after delete", err)
	deps, err := gw.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: api.ApiId})
	if err != nil || len(deps.Items) != 1 || aws.ToString(deps.Items[0].DeploymentId) != *d2.DeploymentId {
		t.Errorf("GetDeployments after delete = %+v, %v; want only %s", deps, err, *d2.DeploymentId)
	}
}

func TestHTTPAPITags(t *testing.T) {
	_, srv, _ := startEmulator(t)
	gw := gatewayClient(srv, "eu-west-1")
	ctx := context.Background()
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("tagged"), ProtocolType: apitypes.ProtocolTypeHttp,
		Tags: map[string]string{"team": "a"}})
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:apigateway:eu-west-1::/apis/" + *api.ApiId
	if _, err := gw.TagResource(ctx, &apigatewayv2.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "test", "team": "b"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := gw.GetTags(ctx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 2 || tags.Tags["env"] != "test" || tags.Tags["team"] != "b" {
		t.Errorf("GetTags = %v, want env=test team=b", tags.Tags)
	}
	if _, err := gw.UntagResource(ctx, &apigatewayv2.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	got, err := gw.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	if err != nil || len(got.Tags) != 1 || got.Tags["env"] != "test" {
		t.Errorf("GetApi tags after untag = %v, %v; want only env=test", got.Tags, err)
	}
	_, err = gw.GetTags(ctx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("arn:aws:apigateway:eu-west-1::/apis/missing")})
	wantAPIError(t, "NotFoundException", "GetTags of an unknown API", err)
}

func TestAPIsAreIsolatedPerRegion(t *testing.T) {
	_, srv, cfg := startEmulator(t)
	east, west := gatewayClient(srv, "us-east-1"), gatewayClient(srv, "eu-west-1")
	ctx := context.Background()
	api, err := east.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("east-only"), ProtocolType: apitypes.ProtocolTypeHttp})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := west.GetApis(ctx, &apigatewayv2.GetApisInput{}); err != nil || len(list.Items) != 0 {
		t.Errorf("eu-west-1 GetApis = %+v, %v; want none", list, err)
	}
	_, err = west.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	wantAPIError(t, "NotFoundException", "GetApi from another region", err)
	_, err = west.DeleteApi(ctx, &apigatewayv2.DeleteApiInput{ApiId: api.ApiId})
	wantAPIError(t, "NotFoundException", "DeleteApi from another region", err)
	if list, err := east.GetApis(ctx, &apigatewayv2.GetApisInput{}); err != nil || len(list.Items) != 1 {
		t.Errorf("us-east-1 GetApis = %+v, %v; want the one API", list, err)
	}

	cfg.Region = "us-east-1"
	restEast := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	cfg.Region = "eu-west-1"
	restWest := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	rest, err := restEast.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("rest-east")})
	if err != nil {
		t.Fatal(err)
	}
	if list, err := restWest.GetRestApis(ctx, &apigateway.GetRestApisInput{}); err != nil || len(list.Items) != 0 {
		t.Errorf("eu-west-1 GetRestApis = %+v, %v; want none", list, err)
	}
	if _, err := restWest.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: rest.Id}); err == nil {
		t.Error("GetResources of a us-east-1 REST API from eu-west-1 succeeded")
	}
}

func TestCustomIDTagPinsTheAPIID(t *testing.T) {
	_, srv, cfg := startEmulator(t)
	gw := gatewayClient(srv, "eu-west-1")
	rest := apigateway.NewFromConfig(cfg, func(o *apigateway.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	ctx := context.Background()
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("pinned"), ProtocolType: apitypes.ProtocolTypeHttp,
		Tags: map[string]string{"_custom_id_": "myapi"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(api.ApiId) != "myapi" {
		t.Errorf("ApiId = %q, want myapi", aws.ToString(api.ApiId))
	}
	if _, err := gw.GetApi(ctx, &apigatewayv2.GetApiInput{ApiId: aws.String("myapi")}); err != nil {
		t.Errorf("GetApi myapi: %v", err)
	}
	_, err = gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("again"), ProtocolType: apitypes.ProtocolTypeHttp,
		Tags: map[string]string{"_custom_id_": "myapi"}})
	wantAPIError(t, "ConflictException", "a second HTTP API with id myapi", err)

	r, err := rest.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("pinned-rest"), Tags: map[string]string{"_custom_id_": "myrest"}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(r.Id) != "myrest" {
		t.Errorf("REST Id = %q, want myrest", aws.ToString(r.Id))
	}
	if _, err := rest.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("clash"), Tags: map[string]string{"_custom_id_": "myapi"}}); err == nil {
		t.Error("a REST API took the id of an HTTP API")
	}
	if list, _ := gw.GetApis(ctx, &apigatewayv2.GetApisInput{}); len(list.Items) != 1 {
		t.Errorf("refused creates left APIs behind: %d HTTP APIs", len(list.Items))
	}
}

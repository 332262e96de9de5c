package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestHealthInLocalStackShape(t *testing.T) {
	_, srv, _ := startEmulator(t)
	resp, err := http.Get(srv.URL + "/_localstack/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Services map[string]string `json:"services"`
		Edition  string            `json:"edition"`
		Version  string            `json:"version"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"s3", "lambda", "apigateway"} {
		if doc.Services[svc] != "running" {
			t.Errorf("services[%s] = %q", svc, doc.Services[svc])
		}
	}
	if doc.Edition == "" || doc.Version == "" {
		t.Errorf("edition %q version %q", doc.Edition, doc.Version)
	}
	head, err := http.Head(srv.URL + "/_localstack/health")
	if err != nil || head.StatusCode != 200 {
		t.Errorf("HEAD health = %v, %v", head, err)
	}
}

func TestResetEmptiesEveryService(t *testing.T) {
	emu, srv, cfg := startEmulator(t)
	lc := lambdaClient(srv, cfg)
	createTestFunction(t, lc, "resettable", 10)
	invoke(t, lc, "resettable", map[string]string{"action": "echo"})
	pids := emu.Lambda.Instances("resettable")
	gw := apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
	if _, err := gw.CreateApi(context.Background(), &apigatewayv2.CreateApiInput{Name: aws.String("x"), ProtocolType: apitypes.ProtocolTypeHttp}); err != nil {
		t.Fatal(err)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(srv.URL); o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("gone-after-reset"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/_localstack/state/reset", "application/json", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v %v", resp, err)
	}
	_, err = lc.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String("resettable")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("function survived the reset: %v", err)
	}
	for _, in := range pids {
		waitProcessGone(t, in.PID)
	}
	buckets, err := s3c.ListBuckets(context.Background(), &s3.ListBucketsInput{})
	if err != nil || len(buckets.Buckets) != 0 {
		t.Errorf("buckets after reset: %+v %v", buckets, err)
	}
	apis, err := gw.GetApis(context.Background(), &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 0 {
		t.Errorf("APIs after reset: %+v %v", apis, err)
	}
}

func TestHTTPAPINamedStageUpdateAndDeploy(t *testing.T) {
	t.Parallel()
	a := setupHTTPAPI(t, "2.0", 30000, "GET /hello")
	ctx := context.Background()
	if _, err := a.gw.CreateStage(ctx, &apigatewayv2.CreateStageInput{ApiId: aws.String(a.apiID), StageName: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	d, err := a.gw.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{ApiId: aws.String(a.apiID), StageName: aws.String("prod")})
	if err != nil || d.DeploymentStatus != apitypes.DeploymentStatusDeployed {
		t.Fatalf("CreateDeployment = %+v, %v", d, err)
	}
	_, body := a.do(t, http.MethodGet, "/prod/hello", nil, "")
	var ev struct {
		RawPath        string `json:"rawPath"`
		RequestContext struct {
			Stage string `json:"stage"`
		} `json:"requestContext"`
	}
	_ = json.Unmarshal([]byte(body), &ev)
	if ev.RequestContext.Stage != "prod" || ev.RawPath != "/prod/hello" {
		t.Errorf("named stage: stage %q rawPath %q (AWS keeps the stage in rawPath)", ev.RequestContext.Stage, ev.RawPath)
	}
	up, err := a.gw.UpdateApi(ctx, &apigatewayv2.UpdateApiInput{ApiId: aws.String(a.apiID), Name: aws.String("renamed")})
	if err != nil || aws.ToString(up.Name) != "renamed" {
		t.Errorf("UpdateApi = %+v, %v", up, err)
	}
	if resp, _ := a.do(t, http.MethodGet, "/nothing-here", nil, ""); resp.StatusCode != 404 {
		t.Errorf("no route: %d, want 404", resp.StatusCode)
	}
}

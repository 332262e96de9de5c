package emulator_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/coolroom/testbed/emulator"
)

// TestDataDirSurvivesRestart: with a data directory, buckets and objects,
// functions (and their code) and APIs are there again after a restart, and
// the restored API still invokes the restored function.
func TestDataDirSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := func() (*emulator.Server, *httptest.Server) {
		emu, err := emulator.New(emulator.Config{Logger: slog.New(slog.DiscardHandler), DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		return emu, httptest.NewServer(emu)
	}
	ctx := context.Background()
	cfg := testConfig()
	clients := func(url string) (*s3.Client, *lambda.Client, *apigatewayv2.Client) {
		return s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(url); o.UsePathStyle = true }),
			lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(url) }),
			apigatewayv2.NewFromConfig(cfg, func(o *apigatewayv2.Options) { o.BaseEndpoint = aws.String(url) })
	}

	emu, srv := start()
	s3c, lc, gw := clients(srv.URL)
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("kept"), Key: aws.String("dir/a b+c.txt"),
		Body: strings.NewReader("survives restarts"), ContentType: aws.String("text/plain"), Metadata: map[string]string{"owner": "test"}}); err != nil {
		t.Fatal(err)
	}
	createTestFunction(t, lc, "kept-fn", 10)
	fn, err := lc.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("kept-fn")})
	if err != nil {
		t.Fatal(err)
	}
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("kept-api"), ProtocolType: apitypes.ProtocolTypeHttp,
		Target: fn.Configuration.FunctionArn})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	if err := emu.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}

	emu2, srv2 := start()
	defer func() { srv2.Close(); _ = emu2.Shutdown(ctx) }()
	s3c2, lc2, gw2 := clients(srv2.URL)
	obj, err := s3c2.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("kept"), Key: aws.String("dir/a b+c.txt")})
	if err != nil {
		t.Fatalf("object after restart: %v", err)
	}
	data, _ := io.ReadAll(obj.Body)
	obj.Body.Close()
	if string(data) != "survives restarts" || aws.ToString(obj.ContentType) != "text/plain" || obj.Metadata["owner"] != "test" {
		t.Errorf("object after restart: %q type %q meta %v", data, aws.ToString(obj.ContentType), obj.Metadata)
	}
	got, err := lc2.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("kept-fn")})
	if err != nil || got.Configuration.State != "Active" || aws.ToString(got.Configuration.CodeSha256) != aws.ToString(fn.Configuration.CodeSha256) {
		t.Fatalf("function after restart: %+v, %v", got, err)
	}
	apis, err := gw2.GetApis(ctx, &apigatewayv2.GetApisInput{})
	if err != nil || len(apis.Items) != 1 || aws.ToString(apis.Items[0].ApiId) != aws.ToString(api.ApiId) {
		t.Fatalf("APIs after restart: %+v, %v", apis, err)
	}
	resp, err := http.Get(srv2.URL + "/_aws/execute-api/" + aws.ToString(api.ApiId) + "/plain")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(body)) != `{"hello":"world"}` {
		t.Errorf("restored API → restored function: %d %s", resp.StatusCode, body)
	}
}

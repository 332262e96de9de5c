// Package localstack_test shows a testcontainers-go user swapping
// localstack/localstack for the Cool Room emulator image: the same
// localstack module, the same SDK calls (S3, Lambda with a provided
// runtime, API Gateway v2), only the image name changes.
package localstack_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/localstack"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/internal/containers"
)

// TestEmulatorImageAsLocalStack runs COOLROOM_LOCALSTACK_IMAGE (default
// coolroom/emulator:latest, built by `docker compose build`) with
// testcontainers-go's localstack module, then uses S3, deploys a Lambda
// function and calls it through an HTTP API, as against LocalStack.
func TestEmulatorImageAsLocalStack(t *testing.T) {
	image := os.Getenv("COOLROOM_LOCALSTACK_IMAGE")
	if image == "" {
		image = "coolroom/emulator:latest"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := containers.Ready(ctx, image); err != nil {
		t.Skipf("emulator image via testcontainers: %v", err)
	}

	// The one change from a LocalStack test: the image. (Ryuk, the reaper
	// container, needs a registry: TESTCONTAINERS_RYUK_DISABLED=true where
	// there is none; Terminate below removes the container either way.)
	ctr, err := localstack.Run(ctx, image)
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			t.Errorf("terminate: %v", err)
		}
	}()
	if err != nil {
		t.Fatal(err)
	}
	endpoint, err := ctr.PortEndpoint(ctx, "4566/tcp", "http")
	if err != nil {
		t.Fatal(err)
	}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	const region = "us-east-1"

	// S3.
	s3c := s3.New(s3.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(endpoint), UsePathStyle: true})
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("example")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("example"), Key: aws.String("a.txt"), Body: bytes.NewReader([]byte("stored"))}); err != nil {
		t.Fatal(err)
	}
	obj, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("example"), Key: aws.String("a.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(obj.Body); string(b) != "stored" {
		t.Errorf("S3 object = %q", b)
	}

	// Lambda: a provided.al2023 zip holding a static `bootstrap`, run
	// inside the emulator container (no Docker-in-Docker).
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	zip, err := deploy.BuildZip(ctx, root, "./localstack/example/hello", "linux", runtime.GOARCH) // LocalStack runs it in Linux
	if err != nil {
		t.Fatal(err)
	}
	lc := lambda.New(lambda.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(endpoint)})
	arch := lambdatypes.ArchitectureX8664
	if runtime.GOARCH == "arm64" {
		arch = lambdatypes.ArchitectureArm64
	}
	fn, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName:  aws.String("hello"),
		Runtime:       lambdatypes.RuntimeProvidedal2023,
		Handler:       aws.String("bootstrap"),
		Architectures: []lambdatypes.Architecture{arch},
		Role:          aws.String("arn:aws:iam::000000000000:role/lambda-role"),
		Code:          &lambdatypes.FunctionCode{ZipFile: zip},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := lambda.NewFunctionActiveV2Waiter(lc).Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hello")}, time.Minute); err != nil {
		t.Fatal(err)
	}

	// API Gateway v2: an HTTP API quick-created with the function as target.
	gw := apigatewayv2.New(apigatewayv2.Options{Region: region, Credentials: creds, BaseEndpoint: aws.String(endpoint)})
	api, err := gw.CreateApi(ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("hello"), ProtocolType: "HTTP", Target: fn.FunctionArn,
	})
	if err != nil {
		t.Fatal(err)
	}
	// LocalStack's path form of the invoke URL; the host form
	// (<apiId>.execute-api.localhost.localstack.cloud) needs that name to resolve.
	resp, err := http.Get(endpoint + "/_aws/execute-api/" + aws.ToString(api.ApiId) + "/greet?name=testcontainers")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "hello, testcontainers" {
		t.Errorf("GET through the HTTP API = %d %q, want 200 \"hello, testcontainers\"", resp.StatusCode, body)
	}
}

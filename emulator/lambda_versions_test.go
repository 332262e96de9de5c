package emulator_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// invokeEnv invokes the test function's "env" action under a qualifier and
// returns its STAGE variable, AWS_LAMBDA_FUNCTION_VERSION and the executed version.
func invokeEnv(t *testing.T, c *lambda.Client, name, qualifier string) (stage, envVersion, executed string) {
	t.Helper()
	in := &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"action":"env"}`)}
	if qualifier != "" {
		in.Qualifier = aws.String(qualifier)
	}
	out, err := c.Invoke(context.Background(), in)
	if err != nil {
		t.Fatalf("Invoke %s qualifier %q: %v", name, qualifier, err)
	}
	var p struct {
		Env map[string]string `json:"env"`
	}
	if err := json.Unmarshal(out.Payload, &p); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	return p.Env["STAGE"], p.Env["AWS_LAMBDA_FUNCTION_VERSION"], aws.ToString(out.ExecutedVersion)
}

func setStage(t *testing.T, c *lambda.Client, name, stage string) {
	t.Helper()
	ctx := context.Background()
	if _, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(name),
		Environment: &types.Environment{Variables: map[string]string{"STAGE": stage}}}); err != nil {
		t.Fatal(err)
	}
}

func publish(t *testing.T, c *lambda.Client, name string) string {
	t.Helper()
	ctx := context.Background()
	v, err := c.PublishVersion(ctx, &lambda.PublishVersionInput{FunctionName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	w := lambda.NewFunctionActiveV2Waiter(c)
	if err := w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name), Qualifier: v.Version}, 30*time.Second); err != nil {
		t.Fatalf("version %s never active: %v", aws.ToString(v.Version), err)
	}
	return aws.ToString(v.Version)
}

func TestLambdaVersionsAndAliases(t *testing.T) {
	t.Parallel()
	_, srv, cfg := startEmulator(t)
	c := lambdaClient(srv, cfg)
	createTestFunction(t, c, "ver", 10)
	ctx := context.Background()

	setStage(t, c, "ver", "one")
	v1 := publish(t, c, "ver")
	setStage(t, c, "ver", "two")
	v2 := publish(t, c, "ver")
	if v1 != "1" || v2 != "2" {
		t.Fatalf("versions %q, %q; want 1, 2", v1, v2)
	}
	if again := publish(t, c, "ver"); again != "2" {
		t.Errorf("publishing unchanged $LATEST made version %s, want the existing 2", again)
	}
	setStage(t, c, "ver", "three")

	for q, want := range map[string][3]string{"1": {"one", "1", "1"}, "2": {"two", "2", "2"}, "": {"three", "$LATEST", "$LATEST"}, "$LATEST": {"three", "$LATEST", "$LATEST"}} {
		stage, envVersion, executed := invokeEnv(t, c, "ver", q)
		if [3]string{stage, envVersion, executed} != want {
			t.Errorf("qualifier %q: STAGE %q, AWS_LAMBDA_FUNCTION_VERSION %q, executed %q; want %v", q, stage, envVersion, executed, want)
		}
	}
	conf, err := c.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")})
	if err != nil || aws.ToString(conf.Version) != "1" || !strings.HasSuffix(aws.ToString(conf.FunctionArn), ":ver:1") || conf.Environment.Variables["STAGE"] != "one" {
		t.Errorf("GetFunctionConfiguration version 1 = %+v, %v", conf, err)
	}
	list, err := c.ListVersionsByFunction(ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("ver")})
	if err != nil || len(list.Versions) != 3 || aws.ToString(list.Versions[0].Version) != "$LATEST" || aws.ToString(list.Versions[2].Version) != "2" {
		t.Errorf("ListVersionsByFunction = %+v, %v", list, err)
	}

	if _, err := c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("ver"), Name: aws.String("live"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	if stage, _, executed := invokeEnv(t, c, "ver:live", ""); stage != "one" || executed != "1" {
		t.Errorf("invoking ver:live ran STAGE %q version %q, want version 1", stage, executed)
	}
	if _, err := c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("ver"), Name: aws.String("live"), FunctionVersion: aws.String("2"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"1": 0.5}}}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for range 40 {
		_, _, executed := invokeEnv(t, c, "ver", "live")
		seen[executed]++
	}
	if seen["1"] == 0 || seen["2"] == 0 || len(seen) != 2 {
		t.Errorf("alias with weight 0.5 on version 1 ran %v over 40 calls; want both 1 and 2", seen)
	}
	got, err := c.GetAlias(ctx, &lambda.GetAliasInput{FunctionName: aws.String("ver"), Name: aws.String("live")})
	if err != nil || aws.ToString(got.FunctionVersion) != "2" || got.RoutingConfig == nil || got.RoutingConfig.AdditionalVersionWeights["1"] != 0.5 {
		t.Errorf("GetAlias = %+v, %v", got, err)
	}

	_, err = c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("ver"), Name: aws.String("ghost"), FunctionVersion: aws.String("9")})
	wantAPIError(t, "ResourceNotFoundException", "alias to a version that does not exist", err)
	_, err = c.CreateAlias(ctx, &lambda.CreateAliasInput{FunctionName: aws.String("ver"), Name: aws.String("123"), FunctionVersion: aws.String("1")})
	wantAPIError(t, "InvalidParameterValueException", "an all-digit alias name", err)
	_, err = c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")})
	wantAPIError(t, "ResourceConflictException", "delete a version an alias routes to", err)

	if _, err := c.UpdateAlias(ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("ver"), Name: aws.String("live"),
		RoutingConfig: &types.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1"), Payload: []byte(`{}`)})
	wantAPIError(t, "ResourceNotFoundException", "invoke a deleted version", err)
	if stage, _, _ := invokeEnv(t, c, "ver", ""); stage != "three" {
		t.Errorf("deleting version 1 touched $LATEST: STAGE %q", stage)
	}
	aliases, err := c.ListAliases(ctx, &lambda.ListAliasesInput{FunctionName: aws.String("ver")})
	if err != nil || len(aliases.Aliases) != 1 {
		t.Errorf("ListAliases = %+v, %v", aliases, err)
	}
}

package emulator_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/emulator"
)

// TestConsoleDrillButtons posts the console's drill form: a cross-site
// page is refused and changes nothing; the console's own page (same
// origin) breaks the function through the Lambda API, the page shows the
// drill and what each hop answers, and restore puts the function back.
func TestConsoleDrillButtons(t *testing.T) {
	srv, cfg := startGuardedEmulator(t, emulator.GuardConfig{})
	if status, got := send(t, http.MethodPost, srv.URL+"/2015-03-31/functions", "", createFunctionBody(t, "data"), map[string]string{"Content-Type": "application/json"}); status != http.StatusCreated {
		t.Fatalf("CreateFunction: %d %s", status, got)
	}
	c := lambdaClient(srv, cfg)
	if _, err := c.UpdateFunctionConfiguration(context.Background(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("data"),
		Environment: &types.Environment{Variables: map[string]string{"DATABASE_URL": "postgres://u:pw@db:5432/app"}}}); err != nil {
		t.Fatal(err)
	}
	drillForm := func(kind string, header map[string]string) (int, string) {
		h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
		for k, v := range header {
			h[k] = v
		}
		return send(t, http.MethodPost, srv.URL+"/_console/drill", "", url.Values{"function": {"data"}, "drill": {kind}}.Encode(), h)
	}
	env := func() map[string]string {
		out, err := c.GetFunctionConfiguration(context.Background(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("data")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Environment.Variables
	}

	if status, _ := drillForm("dbdown", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Origin": "http://evil.example"}); status != http.StatusForbidden {
		t.Fatalf("cross-site drill post: %d, want 403", status)
	}
	if got := env()["DATABASE_URL"]; got != "postgres://u:pw@db:5432/app" {
		t.Fatalf("a refused drill changed DATABASE_URL to %q", got)
	}

	sameOrigin := map[string]string{"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Origin": srv.URL}
	status, page := drillForm("dbdown", sameOrigin)
	if status != http.StatusOK { // the redirect to the console was followed
		t.Fatalf("same-origin drill post: %d %s", status, page)
	}
	if got := env()["DATABASE_URL"]; !strings.Contains(got, "127.0.0.1:1/") {
		t.Errorf("dbdown left DATABASE_URL %q", got)
	}
	doc, _ := getDoc(t, srv.URL+"/_console/")
	if got := doc.Find("#drill .drill-name").Text(); got != "dbdown" {
		t.Errorf("the console's drill panel names %q", got)
	}
	if got := doc.Find("#drill .drill-expect").Text(); !strings.Contains(got, `500 {"message":"Internal Server Error"}`) {
		t.Errorf("the drill panel does not say what API Gateway answers: %q", got)
	}
	if got := doc.Find(`#fn-data .drill-on`).Text(); got != "drill: dbdown" {
		t.Errorf("the function card shows %q for the active drill", got)
	}
	if strings.Contains(doc.Text(), "pw@") {
		t.Error("the console shows the saved database password")
	}

	if status, page := drillForm("restore", sameOrigin); status != http.StatusOK {
		t.Fatalf("restore: %d %s", status, page)
	}
	if got := env(); got["DATABASE_URL"] != "postgres://u:pw@db:5432/app" || len(got) != 1 {
		t.Errorf("after restore the environment is %v", got)
	}
}

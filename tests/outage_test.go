package tests

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/internal/stack"
)

// TestDataServiceOutage breaks the real Lambda (its database URL points
// nowhere, so every cold start fails and API Gateway answers 500) and
// checks what the user sees; then it repairs the function.
func TestDataServiceOutage(t *testing.T) {
	st := sharedStack(t)
	frank := registered(t, st.AppURL, "frank")
	room := frank.createRoom("Outage room", "Outages", "")

	setEnv(t, st, map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"})
	restored := false
	restore := func() {
		if !restored {
			restored = true
			setEnv(t, st, nil)
		}
	}
	defer restore()

	t.Run("pages show the friendly 503", func(t *testing.T) {
		resp := newVisitor(t, st.AppURL).get("/")
		body := readAll(t, resp)
		doc := parse(t, body)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("GET / during the outage = %d: %s", resp.StatusCode, textOf(body))
		}
		if got := doc.Find("h1").Text(); got != "The data service is unavailable" {
			t.Errorf("heading %q", got)
		}
		if doc.Find(".retry-hint").Length() != 1 || doc.Find(`a[href=""]`).Length() != 1 {
			t.Error("no retry hint")
		}
		for _, leak := range []string{"goroutine", "panic", "Internal Server Error", "postgres://", "execute-api"} {
			if strings.Contains(body, leak) {
				t.Errorf("the 503 page leaks %q", leak)
			}
		}
	})

	t.Run("a failed message post keeps the text", func(t *testing.T) {
		text := "please do not lose this <message>"
		resp := frank.post(fmt.Sprintf("/room/%d", room), url.Values{"body": {text}})
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("post during the outage = %d", resp.StatusCode)
		}
		form := doc.Find("form.resend")
		if action, _ := form.Attr("action"); action != fmt.Sprintf("/room/%d", room) {
			t.Errorf("resend form posts to %q", action)
		}
		if got := form.Find("textarea#body").Text(); got != text {
			t.Errorf("textarea holds %q, want the user's text", got)
		}
	})

	t.Run("a failed room form keeps the input", func(t *testing.T) {
		resp := frank.post("/create-room", url.Values{"name": {"Kept name"}, "topic": {"Kept topic"}, "description": {"kept"}})
		doc := parse(t, readAll(t, resp))
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("create during the outage = %d", resp.StatusCode)
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Kept name" {
			t.Errorf("name field %q", v)
		}
	})

	restore()
	t.Run("service recovers", func(t *testing.T) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			resp := newVisitor(t, st.AppURL).get("/")
			readAll(t, resp)
			if resp.StatusCode == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET / still %d after repairing the function", resp.StatusCode)
			}
			time.Sleep(200 * time.Millisecond)
		}
	})
}

// setEnv overrides the function's environment (nil restores the deployed
// one) and waits for the update to finish.
func setEnv(t *testing.T, st *stack.Stack, override map[string]string) {
	t.Helper()
	env := maps.Clone(st.DeployConfig.Env)
	maps.Copy(env, override)
	c := lambda.NewFromConfig(st.AWS, func(o *lambda.Options) { o.BaseEndpoint = endpoint(st) })
	ctx := context.Background()
	_, err := c.UpdateFunctionConfiguration(ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String(st.DeployConfig.FunctionName),
		Environment:  &types.Environment{Variables: env},
	})
	if err != nil {
		t.Fatalf("UpdateFunctionConfiguration: %v", err)
	}
	w := lambda.NewFunctionUpdatedV2Waiter(c)
	if err := w.Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(st.DeployConfig.FunctionName)}, 30*time.Second); err != nil {
		t.Fatalf("waiting for the function update: %v", err)
	}
}

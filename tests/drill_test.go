package tests

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/internal/drill"
	"github.com/coolroom/testbed/internal/drill/awsdrill"
	"github.com/coolroom/testbed/internal/stack"
)

// drillGatewayTimeout stands in for API Gateway's 30 s integration
// timeout during the slow drill (as in TestWalkthrough), so its 503 takes
// seconds; the drill itself is the one `coolroom drill slow` runs, so the
// gateway still gives up first.
const drillGatewayTimeout = 3 * time.Second

// TestDrills runs each failure drill on the real stack, as `coolroom
// drill` does, and checks what API Gateway answers, what the app shows
// the user (a message being posted stays in the form), and that restore
// brings everything back.
func TestDrills(t *testing.T) {
	t.Parallel()
	st := ownStack(t, "drills") // the drills break its function
	api := awsdrill.New(st.AWS, aws.ToString(endpoint(st)))
	fn := st.DeployConfig.FunctionName
	ctx := context.Background()
	ann := registered(t, st.AppURL, "drill")
	room := ann.createRoom("Drill room", "Drills", "")
	t.Cleanup(func() { _, _ = drill.Run(context.Background(), api, fn, drill.Restore) })

	cases := []struct {
		drill      string
		status     int
		gatewayMsg string
	}{
		{drill.Crash, 500, `{"message":"Internal Server Error"}`},
		{drill.Throttle, 500, `{"message":"Internal Server Error"}`},
		{drill.DBDown, 500, `{"message":"Internal Server Error"}`},
		{drill.Slow, 503, `{"message":"Service Unavailable"}`},
	}
	for _, tc := range cases {
		t.Run(tc.drill, func(t *testing.T) {
			if tc.drill == drill.Slow {
				// Only for this drill: a cold start on a busy machine can
				// take longer than that.
				setIntegrationTimeout(t, st, drillGatewayTimeout)
			}
			rep, err := drill.Run(ctx, api, fn, tc.drill)
			if err != nil {
				t.Fatalf("drill %s: %v", tc.drill, err)
			}
			t.Logf("drill %s: %s", tc.drill, strings.Join(rep.Changed, "; "))
			text := fmt.Sprintf("typed during the %s drill <keep me>", tc.drill)
			// The gateway call and the app's post run side by side: the
			// slow drill takes the gateway's whole integration timeout
			// for each.
			var wg sync.WaitGroup
			var status int
			var body string
			var took time.Duration
			var gwID string
			wg.Go(func() {
				start := time.Now()
				resp, err := http.Get(st.Deploy.InvokeURL + "/rooms")
				if err != nil {
					t.Errorf("GET /rooms through API Gateway: %v", err)
					return
				}
				body = readBody(t, resp)
				status, took, gwID = resp.StatusCode, time.Since(start), resp.Header.Get("Apigw-Requestid")
			})
			resp := ann.post(fmt.Sprintf("/room/%d", room), url.Values{"body": {text}})
			doc := parse(t, readAll(t, resp))
			wg.Wait()
			if tc.drill == drill.Slow {
				// Back to the deployed 30 s before restore's cold starts.
				setIntegrationTimeout(t, st, 30*time.Second)
			}
			t.Logf("API Gateway answered %d %s after %s", status, strings.TrimSpace(body), took.Round(time.Millisecond))
			if status != tc.status || strings.TrimSpace(body) != tc.gatewayMsg {
				t.Errorf("API Gateway answered %d %s, want %d %s", status, body, tc.status, tc.gatewayMsg)
			}
			if tc.drill == drill.Slow && took < drillGatewayTimeout {
				t.Errorf("API Gateway gave up on the slow function after %s, before its %s integration timeout", took, drillGatewayTimeout)
			}
			if resp.StatusCode != http.StatusServiceUnavailable || doc.Find("h1").Text() != "The data service is unavailable" {
				t.Errorf("the app answered %d %q, want 503 and the unavailable page", resp.StatusCode, doc.Find("h1").Text())
			}
			if got := doc.Find("form.resend textarea#body").Text(); got != text {
				t.Errorf("the failed post's form holds %q, want the typed text", got)
			}
			// The console's trace of that call shows the same answer and why.
			var doc2 struct {
				Traces []struct {
					Status int
					Error  string
					Lambda *struct{ ErrorType string }
				}
			}
			getJSON(t, st.EmulatorURL+"/_console/api/traces?id="+gwID, &doc2)
			if len(doc2.Traces) != 1 || doc2.Traces[0].Status != tc.status {
				t.Errorf("console traces for %s: %+v", gwID, doc2.Traces)
			} else {
				tr := doc2.Traces[0]
				why := tr.Error
				if tr.Lambda != nil {
					why += " " + tr.Lambda.ErrorType
				}
				t.Logf("console trace %s: %d %s", gwID, tr.Status, why)
				if tc.drill == drill.Crash && (tr.Lambda == nil || tr.Lambda.ErrorType != "Runtime.ExitError") {
					t.Errorf("the crash drill's trace shows no Runtime.ExitError: %+v", tr)
				}
			}
			if tc.drill == drill.Throttle {
				_, err := api.Client.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String(fn), Payload: []byte(`{}`)})
				var tooMany *types.TooManyRequestsException
				if !errors.As(err, &tooMany) {
					t.Errorf("direct Invoke during the throttle drill: %v, want TooManyRequestsException", err)
				}
			}

			if _, err := drill.Run(ctx, api, fn, drill.Restore); err != nil {
				t.Fatalf("restore: %v", err)
			}
			checkRestored(t, st, api, fn)
			if resp := ann.post(fmt.Sprintf("/room/%d", room), url.Values{"body": {text}}); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("posting after restore: %d", resp.StatusCode)
			}
		})
	}
}

// checkRestored checks that the function has its deployed configuration
// back and that a page loads.
func checkRestored(t *testing.T, st *stack.Stack, api awsdrill.API, fn string) {
	t.Helper()
	f, err := api.GetFunction(context.Background(), fn)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range st.DeployConfig.Env {
		if f.Env[k] != v {
			t.Errorf("after restore %s = %q, want the deployed value", k, f.Env[k])
		}
	}
	for k := range f.Env {
		if strings.HasPrefix(k, "COOLROOM_DRILL") {
			t.Errorf("after restore %s is still set", k)
		}
	}
	wantTimeout := st.DeployConfig.Timeout
	if wantTimeout == 0 {
		wantTimeout = 10 // the deployer's default
	}
	if f.Reserved != nil || f.Timeout != wantTimeout {
		t.Errorf("after restore: reserved %v, timeout %d", f.Reserved, f.Timeout)
	}
	resp := newVisitor(t, st.AppURL).get("/")
	readAll(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET / after restore: %d", resp.StatusCode)
	}
}

package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// consoleTrace is the part of a /_console/api/traces entry the tests read.
type consoleTrace struct {
	APIGWRequestID string  `json:"apigwRequestId"`
	Kind           string  `json:"kind"`
	RouteKey       string  `json:"routeKey"`
	Error          string  `json:"error"`
	Stage          string  `json:"stage"`
	Status         int     `json:"status"`
	Function       string  `json:"function"`
	RoutingMs      float64 `json:"routingMs"`
	IntegrationMs  float64 `json:"integrationMs"`
	TotalMs        float64 `json:"totalMs"`
	Lambda         *struct {
		RequestID      string  `json:"requestId"`
		APIGWRequestID string  `json:"apigwRequestId"`
		Instance       string  `json:"instance"`
		PID            int     `json:"pid"`
		Cold           bool    `json:"cold"`
		ErrorType      string  `json:"errorType"`
		DurationMs     float64 `json:"durationMs"`
		Log            string  `json:"log"`
	} `json:"lambda"`
}

type consoleTraces struct {
	Count  int            `json:"count"`
	Traces []consoleTrace `json:"traces"`
}

type consoleState struct {
	Buckets []struct {
		Name    string `json:"name"`
		Objects []struct {
			Key  string `json:"key"`
			Size int64  `json:"size"`
		} `json:"objects"`
	} `json:"buckets"`
	Functions []struct {
		Name      string `json:"name"`
		State     string `json:"state"`
		Instances []struct {
			PID         int `json:"pid"`
			Invocations int `json:"invocations"`
		} `json:"instances"`
		Environment []struct{ Name, Value string } `json:"environment"`
	} `json:"functions"`
	APIs []struct {
		Kind       string   `json:"kind"`
		ID         string   `json:"id"`
		Name       string   `json:"name"`
		InvokeURLs []string `json:"invokeUrls"`
		Routes     []struct {
			Key      string `json:"key"`
			Function string `json:"function"`
		} `json:"routes"`
	} `json:"apis"`
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func getDoc(t *testing.T, u string) (*goquery.Document, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("GET %s: %d, CSP %q", u, resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return doc, string(body)
}

// consoleFixture deploys testfn behind an HTTP API and stores two objects,
// one with a key that would be markup if the console did not escape it.
func consoleFixture(t *testing.T) (httpAPI, string) {
	t.Helper()
	a := setupHTTPAPI(t, "2.0", 30000, "GET /items/{id}", "$default")
	s3c := s3.NewFromConfig(testConfig(), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(a.srv.URL)
		o.UsePathStyle = true
	})
	ctx := context.Background()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("course-assets"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}}); err != nil {
		t.Fatal(err)
	}
	const evilKey = `notes/<script>alert(1)</script>.txt`
	for key, body := range map[string]string{"static/css/site.css": "body{color:#fff}", evilKey: "hello"} {
		ctype := "text/css"
		if key == evilKey {
			ctype = "text/plain"
		}
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("course-assets"), Key: aws.String(key),
			Body: strings.NewReader(body), ContentType: aws.String(ctype)}); err != nil {
			t.Fatal(err)
		}
	}
	return a, evilKey
}

func TestConsoleListsBucketsFunctionsAndAPIs(t *testing.T) {
	t.Parallel()
	a, evilKey := consoleFixture(t)
	doc, raw := getDoc(t, a.srv.URL+"/_console/")

	bucket := doc.Find(`#buckets .bucket[data-name="course-assets"]`)
	if bucket.Length() != 1 {
		t.Fatalf("bucket course-assets not listed:\n%s", raw)
	}
	var keys []string
	bucket.Find(".object .key").Each(func(_ int, s *goquery.Selection) { keys = append(keys, s.Text()) })
	if strings.Join(keys, "|") != evilKey+"|static/css/site.css" {
		t.Errorf("object keys = %q", keys)
	}
	if strings.Contains(raw, "<script>alert") {
		t.Error("an object key reached the page unescaped")
	}
	if got := bucket.Find(".object").Last().Find("td").Eq(2).Text(); got != "text/css" {
		t.Errorf("content type column = %q", got)
	}

	// The download link streams the object as an attachment.
	href, _ := bucket.Find(".object a.download").First().Attr("href")
	resp, err := http.Get(a.srv.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "hello" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download %s: %d %q, disposition %q", href, resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
	}

	fn := doc.Find(`#functions .function[data-name="api-fn"]`)
	if fn.Length() != 1 || strings.TrimSpace(fn.Find(".badge.state").Text()) != "Active" {
		t.Fatalf("function api-fn not listed as Active")
	}
	if !strings.Contains(fn.Find(".config").Text(), "provided.al2023") {
		t.Errorf("function configuration = %q", fn.Find(".config").Text())
	}

	api := doc.Find(`#apis .api[data-id="` + a.apiID + `"]`)
	if api.Length() != 1 || api.AttrOr("data-name", "") != "test-api" {
		t.Fatalf("API %s not listed", a.apiID)
	}
	var routes []string
	api.Find(".route-key").Each(func(_ int, s *goquery.Selection) { routes = append(routes, s.Text()) })
	if strings.Join(routes, "|") != "$default|GET /items/{id}" {
		t.Errorf("routes = %q", routes)
	}
	if !strings.Contains(api.Find(".routes").Text(), "api-fn") {
		t.Error("the routes do not name the function they reach")
	}
	wantURL := a.srv.URL + "/_aws/execute-api/" + a.apiID + "/"
	if api.Find(`a.invoke-url[href="`+wantURL+`"]`).Length() != 1 {
		t.Errorf("invoke URL %s not listed", wantURL)
	}

	var st consoleState
	getJSON(t, a.srv.URL+"/_console/api/state", &st)
	if len(st.Buckets) != 1 || len(st.Buckets[0].Objects) != 2 || len(st.Functions) != 1 || st.Functions[0].Name != "api-fn" ||
		len(st.APIs) != 1 || st.APIs[0].Kind != "HTTP" || len(st.APIs[0].Routes) != 2 || st.APIs[0].Routes[1].Function != "api-fn" {
		t.Errorf("api/state = %+v", st)
	}
}

func TestConsoleTracesARequestAcrossHops(t *testing.T) {
	t.Parallel()
	a, _ := consoleFixture(t)
	resp, _ := a.do(t, http.MethodGet, "/items/7", nil, "")
	apigwID := resp.Header.Get("Apigw-Requestid")
	if resp.StatusCode != 201 || apigwID == "" {
		t.Fatalf("request: %d, apigw-requestid %q", resp.StatusCode, apigwID)
	}

	var got consoleTraces
	getJSON(t, a.srv.URL+"/_console/api/traces?id="+url.QueryEscape(apigwID), &got)
	if got.Count != 1 || len(got.Traces) != 1 {
		t.Fatalf("traces for %s: %+v", apigwID, got)
	}
	tr := got.Traces[0]
	if tr.APIGWRequestID != apigwID || tr.RouteKey != "GET /items/{id}" || tr.Stage != "$default" || tr.Status != 201 || tr.Function != "api-fn" {
		t.Errorf("trace = %+v", tr)
	}
	if tr.Lambda == nil {
		t.Fatal("trace has no Lambda hop")
	}
	l := tr.Lambda
	if l.RequestID == "" || l.APIGWRequestID != apigwID || l.PID <= 0 || !l.Cold || l.Instance != "api-fn-1" {
		t.Errorf("lambda hop = %+v", l)
	}
	if tr.RoutingMs <= 0 || tr.IntegrationMs <= 0 || l.DurationMs <= 0 || l.DurationMs > tr.IntegrationMs ||
		tr.TotalMs < tr.RoutingMs+tr.IntegrationMs {
		t.Errorf("hop timings: routing %v integration %v lambda %v total %v", tr.RoutingMs, tr.IntegrationMs, l.DurationMs, tr.TotalMs)
	}
	if !strings.Contains(l.Log, "START RequestId: "+l.RequestID) || !strings.Contains(l.Log, `testfn handling "7" apigw_request_id=`+apigwID) {
		t.Errorf("log = %q", l.Log)
	}

	// The instance in the trace is the warm one the state lists.
	var st consoleState
	getJSON(t, a.srv.URL+"/_console/api/state", &st)
	if len(st.Functions) != 1 || len(st.Functions[0].Instances) != 1 || st.Functions[0].Instances[0].PID != l.PID ||
		st.Functions[0].Instances[0].Invocations != 1 {
		t.Errorf("instances = %+v, want the one with pid %d", st.Functions[0].Instances, l.PID)
	}

	// Every id finds the same trace: the Lambda request id and the pid too.
	for _, id := range []string{l.RequestID, strconv.Itoa(l.PID)} {
		var byID consoleTraces
		getJSON(t, a.srv.URL+"/_console/api/traces?id="+url.QueryEscape(id), &byID)
		if byID.Count != 1 || byID.Traces[0].APIGWRequestID != apigwID {
			t.Errorf("search %q: %+v", id, byID)
		}
	}

	// A second request makes a second (warm) trace; the search still
	// narrows the page to the first.
	a.do(t, http.MethodGet, "/items/8", nil, "")
	doc, raw := getDoc(t, a.srv.URL+"/_console/?q="+url.QueryEscape(apigwID))
	traces := doc.Find("#traces .trace")
	if traces.Length() != 1 || traces.AttrOr("data-apigw-id", "") != apigwID {
		t.Fatalf("search page shows %d traces:\n%s", traces.Length(), raw)
	}
	if traces.Find(".hop.gw .route").Text() != "GET /items/{id}" || traces.Find(".pid-value").Text() != strconv.Itoa(l.PID) ||
		traces.Find(".lambda-id").Text() != l.RequestID || strings.TrimSpace(traces.Find(".hop.resp .status").Text()) != "201" {
		t.Errorf("trace hops: route %q pid %q lambda id %q status %q", traces.Find(".hop.gw .route").Text(),
			traces.Find(".pid-value").Text(), traces.Find(".lambda-id").Text(), traces.Find(".hop.resp .status").Text())
	}
	for _, cls := range []string{".t-routing", ".t-lambda", ".t-response"} {
		if strings.TrimSpace(traces.Find(cls).Text()) == "" {
			t.Errorf("hop time %s missing", cls)
		}
	}
	if match := traces.Find("pre.log .line.match").Text(); !strings.Contains(match, apigwID) {
		t.Errorf("the log line with the gateway request id is not highlighted: %q", match)
	}
	// The function's own invocation list finds it by the same id.
	if inv := doc.Find(`#functions .invocation[data-request-id="` + l.RequestID + `"]`); inv.Length() != 1 {
		t.Errorf("function invocations filtered by %s: %d", apigwID, inv.Length())
	}

	var none consoleTraces
	getJSON(t, a.srv.URL+"/_console/api/traces?id=no-such-id", &none)
	if none.Count != 0 || len(none.Traces) != 0 {
		t.Errorf("search for an unknown id: %+v", none)
	}
	var all consoleTraces
	getJSON(t, a.srv.URL+"/_console/api/traces?service=apigateway", &all)
	if all.Count != 2 || all.Traces[0].Lambda == nil || all.Traces[0].Lambda.Cold {
		t.Errorf("all traces: %+v (want 2, newest first and warm)", all)
	}

	// Reset forgets the traces with everything else.
	if resp, err := http.Post(a.srv.URL+"/_coolroom/reset", "", nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("reset: %v", err)
	}
	getJSON(t, a.srv.URL+"/_console/api/traces?service=apigateway", &all)
	if all.Count != 0 {
		t.Errorf("after reset: %d traces", all.Count)
	}
}

func TestConsoleEventStreamAnnouncesTraces(t *testing.T) {
	a := setupHTTPAPI(t, "2.0", 30000, "$default")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+"/_console/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	buf := make([]byte, 4096)
	read := func(want string) {
		t.Helper()
		var got string
		for !strings.Contains(got, want) {
			n, err := resp.Body.Read(buf)
			if err != nil {
				t.Fatalf("stream ended before %q: %v (got %q)", want, err, got)
			}
			got += string(buf[:n])
		}
	}
	read("event: hello")
	a.do(t, http.MethodGet, "/ping", nil, "")
	read("event: update")
}

// TestConsoleJoinsAnInvocationThatOutlivedTheGateway: past the integration
// timeout the gateway answers 503 without the function's result; the
// invocation still finishes, names the gateway request id, and the trace
// shows it once it has.
func TestConsoleJoinsAnInvocationThatOutlivedTheGateway(t *testing.T) {
	t.Parallel()
	a := setupHTTPAPI(t, "2.0", 300, "$default")
	resp, _ := a.do(t, http.MethodGet, "/sleep", nil, "")
	apigwID := resp.Header.Get("Apigw-Requestid")
	if resp.StatusCode != 503 {
		t.Fatalf("status %d, want 503", resp.StatusCode)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var got consoleTraces
		getJSON(t, a.srv.URL+"/_console/api/traces?id="+url.QueryEscape(apigwID), &got)
		if got.Count != 1 || got.Traces[0].Status != 503 || !strings.HasPrefix(got.Traces[0].Error, "integration timed out") {
			t.Fatalf("trace: %+v", got)
		}
		if l := got.Traces[0].Lambda; l != nil {
			if l.APIGWRequestID != apigwID || !strings.Contains(l.Log, `testfn handling "sleep"`) {
				t.Errorf("joined invocation: %+v", l)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the invocation never joined its trace")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestConsoleShowsScaleOutAndRequestRate: a burst of concurrent requests
// starts one instance each, and the console shows how far the function
// scaled and the request rate, live on the page and in the JSON API.
func TestConsoleShowsScaleOutAndRequestRate(t *testing.T) {
	t.Parallel()
	a := setupHTTPAPI(t, "2.0", 30000, "$default")
	var wg sync.WaitGroup
	sent := time.Now()
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.do(t, http.MethodGet, "/sleep", nil, "") // 2 s each: they overlap
		}()
	}
	wg.Wait()
	// The three arrived within one second, which a reading less than
	// four seconds later counts among the last five whole seconds: 3 / 5.
	wantRate := 0.6
	var st struct {
		RequestsPerSecond float64 `json:"requestsPerSecond"`
		Functions         []struct {
			ColdStarts    int `json:"coldStarts"`
			PeakInstances int `json:"peakInstances"`
		} `json:"functions"`
	}
	getJSON(t, a.srv.URL+"/_console/api/state", &st)
	if time.Since(sent) > 4*time.Second {
		wantRate = st.RequestsPerSecond // a slow machine: the window moved on
	}
	if len(st.Functions) != 1 || st.Functions[0].PeakInstances != 3 || st.Functions[0].ColdStarts != 3 || st.RequestsPerSecond != wantRate {
		t.Errorf("state: %+v, want peak 3, 3 cold starts, 0.6 requests/s", st)
	}
	doc, raw := getDoc(t, a.srv.URL+"/_console/")
	if got := doc.Find("#functions .peak").Text(); got != "peak 3" {
		t.Errorf("peak shown as %q:\n%s", got, raw)
	}
	if got := doc.Find("#functions .cold-starts").Text(); got != "3 cold starts" {
		t.Errorf("cold starts shown as %q", got)
	}
	if got := doc.Find("#traces .rate").Text(); got != fmt.Sprintf("%.1f requests/s", wantRate) {
		t.Errorf("rate shown as %q", got)
	}
}

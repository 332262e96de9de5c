package tests

import (
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// consoleTrace is what the traces test reads of a console trace.
type consoleTrace struct {
	Service         string  `json:"service"`
	APIGWRequestID  string  `json:"apigwRequestId"`
	ClientRequestID string  `json:"clientRequestId"`
	Operation       string  `json:"operation"`
	Key             string  `json:"key"`
	Path            string  `json:"path"`
	Status          int     `json:"status"`
	TotalMs         float64 `json:"totalMs"`
	FunctionMs      float64 `json:"functionMs"`
	DBMs            float64 `json:"dbMs"`
	HasDB           bool    `json:"hasDb"`
	Lambda          *struct {
		DurationMs float64 `json:"durationMs"`
	} `json:"lambda"`
}

type consoleTraceDoc struct {
	Count  int            `json:"count"`
	Traces []consoleTrace `json:"traces"`
	Page   *struct {
		Path    string  `json:"path"`
		Status  int     `json:"status"`
		TotalMs float64 `json:"totalMs"`
		AppMs   float64 `json:"appMs"`
		Calls   int     `json:"calls"`
	} `json:"page"`
}

// TestTracesStartAtTheBrowser loads a profile page (several data-API calls
// side by side) through the real stack and finds, under the X-Request-Id
// the browser got, one page view in the console: the app's own time, each
// API Gateway call with its Lambda invocation and the handler's PostgreSQL
// time. An avatar upload and the deploy's static files show up as S3
// traces.
func TestTracesStartAtTheBrowser(t *testing.T) {
	st := sharedStack(t)
	skipUnlessEmulator(t, st)
	v := registered(t, st.AppURL, "tracer")
	profile := fmt.Sprintf("/profile/%d", v.ID)
	resp := v.get(profile)
	readAll(t, resp)
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("GET %s = %d, X-Request-Id %q", profile, resp.StatusCode, id)
	}
	var doc consoleTraceDoc
	getJSON(t, st.EmulatorURL+"/_console/api/traces?service=apigateway&id="+url.QueryEscape(id), &doc)
	if doc.Page == nil || doc.Page.Path != profile || doc.Page.Status != 200 || doc.Page.AppMs <= 0 || doc.Page.AppMs > doc.Page.TotalMs {
		t.Fatalf("the console's page view for %s: %+v", id, doc.Page)
	}
	if doc.Count < 2 || doc.Count != doc.Page.Calls {
		t.Fatalf("%d gateway traces carry the page's id, the app made %d calls", doc.Count, doc.Page.Calls)
	}
	for _, tr := range doc.Traces {
		if tr.ClientRequestID != id || tr.Status != 200 || tr.Lambda == nil || !tr.HasDB || tr.DBMs <= 0 || tr.FunctionMs < tr.DBMs {
			t.Errorf("trace %s %s: %+v", tr.APIGWRequestID, tr.Path, tr)
		}
		t.Logf("%s: gateway %.2f ms, Lambda %.2f ms, handler %.2f ms, PostgreSQL %.2f ms", tr.Path, tr.TotalMs, tr.Lambda.DurationMs, tr.FunctionMs, tr.DBMs)
	}
	t.Logf("page %s: total %.2f ms, app's own %.2f ms, %d calls", id, doc.Page.TotalMs, doc.Page.AppMs, doc.Page.Calls)

	// The console page shows it as one page-view row.
	page := parse(t, readBody(t, mustGetResp(t, st.EmulatorURL+"/_console/?q="+url.QueryEscape(id))))
	row := page.Find(`.pageview[data-request-id="` + id + `"]`)
	if row.Length() != 1 || row.Find(".trace").Length() != doc.Count || row.Find(".t-app").Length() != 1 || row.Find(".t-db-sum").Length() != 1 {
		t.Errorf("the console shows %d page-view rows for %s (%d traces inside)", row.Length(), id, row.Find(".trace").Length())
	}

	// S3: the app's avatar upload and the deployer's static files.
	up := v.postFile("/update-user", profileForm(v), "avatar", "me.png", pngBytes(t, 8, 8, color.White))
	readAll(t, up)
	key := avatarKeyOf(t, v)
	var s3doc consoleTraceDoc
	getJSON(t, st.EmulatorURL+"/_console/api/traces?service=s3&id="+url.QueryEscape(key), &s3doc)
	if !hasOp(s3doc.Traces, "PutObject") {
		t.Errorf("no S3 PutObject trace for the avatar %s: %+v", key, s3doc.Traces)
	}
	var static consoleTraceDoc
	getJSON(t, st.EmulatorURL+"/_console/api/traces?service=s3&id=PutObject", &static)
	if !hasKeySuffix(static.Traces, "app.js") && !hasKeySuffix(static.Traces, ".css") {
		t.Errorf("no S3 PutObject trace of the deployer's static files among %d", static.Count)
	}
}

func hasOp(ts []consoleTrace, op string) bool {
	for _, t := range ts {
		if t.Operation == op && t.Status < 300 {
			return true
		}
	}
	return false
}

func hasKeySuffix(ts []consoleTrace, suffix string) bool {
	for _, t := range ts {
		if strings.HasSuffix(t.Key, suffix) {
			return true
		}
	}
	return false
}

func mustGetResp(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

package console

import (
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
	"github.com/coolroom/testbed/emulator/s3"
	"github.com/coolroom/testbed/internal/drill"
)

// How much of each list the page shows; the JSON API has the rest.
const (
	pageTraces   = 50
	pageObjects  = 100
	stateObjects = 1000
	maxQueryLen  = 200
)

// state is everything the console shows about the services.
type state struct {
	// RequestsPerSecond is the execute-api request rate over the last
	// five whole seconds.
	RequestsPerSecond float64 `json:"requestsPerSecond"`
	// EmulatorPID lets a load test on this machine find the process tree
	// (emulator, Lambda processes) whose CPU and memory it reports.
	EmulatorPID int            `json:"emulatorPid"`
	Buckets     []bucketView   `json:"buckets"`
	Functions   []functionView `json:"functions"`
	APIs        []apiView      `json:"apis"`
}

type bucketView struct {
	s3.BucketInfo
	Objects []s3.ObjectInfo `json:"objects"`
	// More counts the objects not listed.
	More int `json:"more,omitempty"`
}

type functionView struct {
	lambda.FunctionInfo
	// Environment shadows FunctionInfo's, with secrets masked.
	Environment []envVar `json:"environment"`
	// Invocations are the recent ones, newest first.
	Invocations []*Invocation `json:"invocations"`
	// Matched counts the invocations the search found (all when none).
	Matched int `json:"-"`
	// Drill is the failure drill that is on (COOLROOM_DRILL), if any.
	Drill string `json:"drill,omitempty"`
	// Timeline lays the recent invocations out per instance.
	Timeline *timeline `json:"-"`
}

type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// apiView is an HTTP or REST API in one shape: routes (REST resources and
// methods) with the function each reaches, stages and invoke URLs.
type apiView struct {
	Kind        string      `json:"kind"`
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Routes      []routeView `json:"routes"`
	Stages      []stageView `json:"stages"`
	InvokeURLs  []string    `json:"invokeUrls"`
}

type routeView struct {
	Key            string `json:"key"`
	Integration    string `json:"integration,omitempty"`
	Type           string `json:"type,omitempty"`
	Function       string `json:"function,omitempty"`
	PayloadVersion string `json:"payloadVersion,omitempty"`
	TimeoutMs      int32  `json:"timeoutMs,omitempty"`
}

type stageView struct {
	Name       string `json:"name"`
	AutoDeploy bool   `json:"autoDeploy"`
	Deployment string `json:"deployment,omitempty"`
}

// collectState snapshots the services; host is the console request's
// Host, from which invoke URLs are built.
func (c *Console) collectState(host, query string, objectLimit int) state {
	// Empty lists, not null, for the JSON API's readers.
	st := state{Buckets: []bucketView{}, Functions: []functionView{}, APIs: []apiView{},
		RequestsPerSecond: c.rec.RequestsPerSecond(time.Now()), EmulatorPID: os.Getpid()}
	for _, b := range c.s3.Buckets() {
		objs, _ := c.s3.Objects(b.Name, objectLimit)
		st.Buckets = append(st.Buckets, bucketView{BucketInfo: b, Objects: objs, More: b.ObjectCount - len(objs)})
	}
	live := map[string]bool{}
	for _, fn := range c.fns.FunctionInfos() {
		live[fn.Name] = true
		v := functionView{FunctionInfo: fn, Environment: maskedEnv(fn.Environment), Invocations: []*Invocation{},
			Drill: drill.Active(drill.Function{Env: fn.Environment})}
		v.FunctionInfo.Environment = nil
		for _, inv := range c.rec.Invocations(fn.Name) {
			if query == "" || inv.matches(query) {
				v.Invocations = append(v.Invocations, inv)
			}
		}
		v.Matched = len(v.Invocations)
		v.Timeline = buildTimeline(c.rec.Invocations(fn.Name))
		st.Functions = append(st.Functions, v)
	}
	c.rec.Forget(live)
	base := "http://" + host
	for _, a := range c.gw.HTTPAPIInfos() {
		st.APIs = append(st.APIs, httpAPIView(a, base))
	}
	for _, a := range c.gw.RestAPIInfos() {
		st.APIs = append(st.APIs, restAPIView(a, base, host))
	}
	return st
}

func httpAPIView(a apigateway.HTTPAPIInfo, base string) apiView {
	v := apiView{Kind: "HTTP", ID: a.APIID, Name: a.Name, Description: a.Description,
		Routes: []routeView{}, Stages: []stageView{}, InvokeURLs: []string{}}
	integ := map[string]apigateway.Integration{}
	for _, in := range a.Integrations {
		integ[in.IntegrationID] = in
	}
	for _, rt := range a.Routes {
		r := routeView{Key: rt.RouteKey}
		if id, ok := strings.CutPrefix(rt.Target, "integrations/"); ok {
			in := integ[id]
			r.Integration, r.Type, r.Function = id, in.IntegrationType, apigateway.FunctionOf(in.IntegrationURI)
			r.PayloadVersion, r.TimeoutMs = in.PayloadFormatVersion, in.TimeoutInMillis
		}
		v.Routes = append(v.Routes, r)
	}
	for _, s := range a.Stages {
		v.Stages = append(v.Stages, stageView{Name: s.StageName, AutoDeploy: s.AutoDeploy, Deployment: s.DeploymentID})
		if s.StageName == apigateway.DefaultStage {
			v.InvokeURLs = append(v.InvokeURLs, base+apigateway.ExecuteAPIPath+a.APIID+"/", a.APIEndpoint+"/")
		} else {
			v.InvokeURLs = append(v.InvokeURLs, base+apigateway.ExecuteAPIPath+a.APIID+"/"+s.StageName+"/",
				a.APIEndpoint+"/"+s.StageName+"/")
		}
	}
	return v
}

func restAPIView(a apigateway.RestAPIInfo, base, host string) apiView {
	v := apiView{Kind: "REST", ID: a.ID, Name: a.Name, Description: a.Description,
		Routes: []routeView{}, Stages: []stageView{}, InvokeURLs: []string{}}
	for _, res := range a.Resources {
		methods := make([]string, 0, len(res.ResourceMethods))
		for m := range res.ResourceMethods {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, m := range methods {
			r := routeView{Key: m + " " + res.Path}
			if in := res.ResourceMethods[m].Integration; in != nil {
				r.Type, r.Function, r.TimeoutMs, r.PayloadVersion = in.Type, apigateway.FunctionOf(in.URI), in.TimeoutInMillis, apigateway.PayloadV1
			}
			v.Routes = append(v.Routes, r)
		}
	}
	for _, s := range a.Stages {
		v.Stages = append(v.Stages, stageView{Name: s.StageName, Deployment: s.DeploymentID})
		v.InvokeURLs = append(v.InvokeURLs, base+apigateway.ExecuteAPIPath+a.ID+"/"+s.StageName+"/",
			apigateway.Endpoint(host, a.ID)+"/"+s.StageName+"/")
	}
	return v
}

// maskedEnv lists the variables by name, hiding values that look like
// secrets and passwords inside URLs: the console is for showing on a
// projector.
func maskedEnv(env map[string]string) []envVar {
	out := make([]envVar, 0, len(env))
	for k, v := range env {
		out = append(out, envVar{Name: k, Value: maskValue(k, v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func maskValue(name, value string) string {
	upper := strings.ToUpper(name)
	for _, s := range []string{"SECRET", "PASSWORD", "TOKEN", "KEY", "CREDENTIAL"} {
		if strings.Contains(upper, s) {
			return "•••••• (" + strconv.Itoa(len(value)) + " characters, hidden)"
		}
	}
	if strings.Contains(value, "://") {
		if u, err := url.Parse(value); err == nil && u.User != nil {
			if _, hasPassword := u.User.Password(); hasPassword {
				return u.Redacted()
			}
		}
	}
	return value
}

// matches reports whether the query appears in one of the invocation's
// ids or in its log; "cold" finds the cold starts.
func (inv *Invocation) matches(q string) bool {
	return strings.EqualFold(inv.RequestID, q) || strings.EqualFold(inv.APIGWRequestID, q) ||
		strings.EqualFold(inv.Instance, q) || strconv.Itoa(inv.PID) == q ||
		strings.Contains(inv.RequestID, q) || strings.Contains(inv.APIGWRequestID, q) ||
		strings.Contains(inv.Log, q) || (inv.Cold && strings.EqualFold(q, "cold"))
}

// matches reports whether the query names one of the trace's ids (the
// app's page request id too), its API, route, path, function, S3
// operation, bucket or key, or appears in the invocation's log. Ids match
// exactly or by substring; the short fields ignore case.
func (t *Trace) matches(q string) bool {
	for _, f := range []string{t.APIGWRequestID, t.ClientRequestID, t.APIID, t.APIName, t.RouteKey, t.Path, t.Function,
		t.Method + " " + t.Path, t.Operation, t.Bucket, t.Key} {
		if containsFold(f, q) {
			return true
		}
	}
	return t.Lambda != nil && t.Lambda.matches(q)
}

func containsFold(s, sub string) bool {
	if len(sub) > len(s) {
		return false
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// findTraces returns the recorded traces matching the query, newest first,
// at most limit (all when limit <= 0), and how many matched. A trace whose
// function outlived the gateway's timeout gets its invocation joined from
// the function's record by the gateway request id.
func (c *Console) findTraces(query string, limit int) ([]*Trace, int) {
	var out []*Trace
	matched := 0
	for _, t := range c.rec.Traces() {
		if t.Lambda == nil && t.Function != "" {
			if inv := c.invocationFor(t); inv != nil {
				joined := *t
				joined.Lambda = inv
				t = &joined
			}
		}
		if query != "" && !t.matches(query) {
			continue
		}
		matched++
		if limit <= 0 || len(out) < limit {
			out = append(out, t)
		}
	}
	return out, matched
}

func (c *Console) invocationFor(t *Trace) *Invocation {
	for _, inv := range c.rec.Invocations(t.Function) {
		if inv.APIGWRequestID == t.APIGWRequestID {
			return inv
		}
	}
	return nil
}

// cleanQuery trims the search box's value to something sensible.
func cleanQuery(q string) string {
	q = strings.TrimSpace(q)
	if len(q) > maxQueryLen {
		q = q[:maxQueryLen]
	}
	return q
}

// since is a coarse "how long ago" for the page.
func since(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + " s ago"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " min ago"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " h ago"
	}
	return t.Format("2006-01-02")
}

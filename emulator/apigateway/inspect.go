package apigateway

import (
	"sort"
	"strings"
)

// HTTPAPIInfo is a read-only copy of an HTTP API and its children, for the
// emulator's console.
type HTTPAPIInfo struct {
	API
	Routes       []Route       `json:"routes"`
	Integrations []Integration `json:"integrations"`
	Stages       []Stage       `json:"stages"`
}

// RestAPIInfo is a read-only copy of a REST API and its children.
type RestAPIInfo struct {
	RestAPI
	// Resources are ordered by path; their methods and integrations are copies.
	Resources []Resource  `json:"resources"`
	Stages    []RestStage `json:"stages"`
}

// HTTPAPIInfos describes every HTTP API, ordered by name, its routes by
// route key.
func (s *Service) HTTPAPIInfos() []HTTPAPIInfo {
	return infos(s, s.httpAPIs, func(a *httpAPI) HTTPAPIInfo {
		info := HTTPAPIInfo{API: a.API}
		for _, rt := range a.routes {
			info.Routes = append(info.Routes, *rt)
		}
		for _, in := range a.integrations {
			info.Integrations = append(info.Integrations, *in)
		}
		for _, st := range a.stages {
			info.Stages = append(info.Stages, *st)
		}
		sort.Slice(info.Routes, func(i, j int) bool { return info.Routes[i].RouteKey < info.Routes[j].RouteKey })
		sort.Slice(info.Integrations, func(i, j int) bool {
			return info.Integrations[i].IntegrationID < info.Integrations[j].IntegrationID
		})
		sort.Slice(info.Stages, func(i, j int) bool { return info.Stages[i].StageName < info.Stages[j].StageName })
		return info
	}, func(info HTTPAPIInfo) string { return info.Name })
}

// RestAPIInfos describes every REST API, ordered by name.
func (s *Service) RestAPIInfos() []RestAPIInfo {
	return infos(s, s.restAPIs, func(a *restAPI) RestAPIInfo {
		info := RestAPIInfo{RestAPI: a.RestAPI}
		for _, res := range a.resources {
			c := *res
			c.ResourceMethods = make(map[string]*Method, len(res.ResourceMethods))
			for name, m := range res.ResourceMethods {
				mc := *m
				if m.Integration != nil {
					ic := *m.Integration
					mc.Integration = &ic
				}
				c.ResourceMethods[name] = &mc
			}
			info.Resources = append(info.Resources, c)
		}
		for _, st := range a.stages {
			info.Stages = append(info.Stages, *st)
		}
		sort.Slice(info.Resources, func(i, j int) bool { return info.Resources[i].Path < info.Resources[j].Path })
		sort.Slice(info.Stages, func(i, j int) bool { return info.Stages[i].StageName < info.Stages[j].StageName })
		return info
	}, func(info RestAPIInfo) string { return info.Name })
}

// infos copies every API of one kind (all regions) with info, under the
// read lock, ordered by name.
func infos[A, I any](s *Service, apis func() map[string]A, info func(A) I, name func(I) string) []I {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]I, 0, len(apis()))
	for _, a := range apis() {
		out = append(out, info(a))
	}
	sort.Slice(out, func(i, j int) bool { return name(out[i]) < name(out[j]) })
	return out
}

// FunctionOf returns the Lambda function name in an integration URI (a
// function ARN or an apigateway …/functions/<arn>/invocations URI).
func FunctionOf(uri string) string {
	fn := functionFromURI(uri)
	if _, name, ok := strings.Cut(fn, ":function:"); ok {
		name, _, _ = strings.Cut(name, ":")
		return name
	}
	return fn
}

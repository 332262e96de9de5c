package apigateway

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// Persistence for the emulator's optional data directory: every HTTP API
// and REST API with its children, as one JSON document.

type savedHTTPAPI struct {
	API          API                     `json:"api"`
	Integrations map[string]*Integration `json:"integrations"`
	Routes       map[string]*Route       `json:"routes"`
	Stages       map[string]*Stage       `json:"stages"`
	Deployments  map[string]*Deployment  `json:"deployments,omitempty"`
	Region       string                  `json:"region,omitempty"`
	Authorizers  map[string]*Authorizer  `json:"authorizers,omitempty"`
}

type savedRestAPI struct {
	API         RestAPI                    `json:"api"`
	Resources   map[string]*Resource       `json:"resources"`
	Deployments map[string]*RestDeployment `json:"deployments"`
	Stages      map[string]*RestStage      `json:"stages"`
	Region      string                     `json:"region,omitempty"`
}

type savedState struct {
	HTTP []savedHTTPAPI `json:"http"`
	REST []savedRestAPI `json:"rest"`
}

const stateFile = "apis.json"

// Save writes every API to dir.
func (s *Service) Save(dir string) error {
	s.mu.RLock()
	var st savedState
	for _, a := range s.apis {
		st.HTTP = append(st.HTTP, savedHTTPAPI{API: a.API, Integrations: a.integrations, Routes: a.routes, Stages: a.stages, Deployments: a.deployments, Region: a.region, Authorizers: a.authorizers})
	}
	for _, a := range s.rest {
		st.REST = append(st.REST, savedRestAPI{API: a.RestAPI, Resources: a.resources, Deployments: a.deployments, Stages: a.stages, Region: a.region})
	}
	data, err := json.Marshal(st)
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, stateFile), data, 0o644)
}

// Load reads what Save wrote; a missing directory is an empty state.
func (s *Service) Load(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("apigateway state %s: %w", dir, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range st.HTTP {
		h := &httpAPI{API: a.API, integrations: orEmpty(a.Integrations), routes: orEmpty(a.Routes), stages: orEmpty(a.Stages), deployments: orEmpty(a.Deployments), region: s.savedRegion(a.Region), authorizers: orEmpty(a.Authorizers)}
		s.apis[a.API.APIID] = h
	}
	for _, a := range st.REST {
		s.rest[a.API.ID] = &restAPI{RestAPI: a.API, resources: orEmpty(a.Resources), deployments: orEmpty(a.Deployments), stages: orEmpty(a.Stages), region: s.savedRegion(a.Region)}
	}
	return nil
}

func orEmpty[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

// savedRegion is the region an API was saved in; state written before
// regions were kept belongs to the default region.
func (s *Service) savedRegion(r string) string {
	if r == "" {
		return s.region
	}
	return r
}

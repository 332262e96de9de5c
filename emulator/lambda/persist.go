package lambda

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Persistence for the emulator's optional data directory: Save writes each
// function's configuration and zip, Load recreates the functions (Active,
// with no warm instances, as after a cold restart on AWS).

type savedFunction struct {
	Name          string            `json:"name"`
	ARN           string            `json:"arn"`
	Runtime       string            `json:"runtime"`
	Role          string            `json:"role"`
	Handler       string            `json:"handler"`
	Description   string            `json:"description"`
	Timeout       int32             `json:"timeout"`
	Memory        int32             `json:"memory"`
	Env           map[string]string `json:"env"`
	Architectures []string          `json:"architectures"`
	LastModified  time.Time         `json:"lastModified"`
	Reserved      *int32            `json:"reserved,omitempty"`
	Policy        []policyStatement `json:"policy,omitempty"`
	ZipFile       string            `json:"zipFile"`
}

// Save writes every function to dir (replacing what was there).
func (s *Service) Save(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var saved []savedFunction
	for _, name := range s.Functions() {
		fn, err := s.lookup(name)
		if err != nil {
			continue
		}
		fn.mu.Lock()
		sf := savedFunction{Name: fn.name, ARN: fn.arn, Runtime: fn.runtime, Role: fn.role, Handler: fn.handler,
			Description: fn.description, Timeout: fn.timeout, Memory: fn.memory, Env: fn.env, Architectures: fn.architectures,
			LastModified: fn.lastModified, Reserved: fn.reserved, Policy: fn.policy, ZipFile: fn.name + ".zip"}
		zip := fn.zip
		fn.mu.Unlock()
		if err := os.WriteFile(filepath.Join(dir, sf.ZipFile), zip, 0o644); err != nil {
			return err
		}
		saved = append(saved, sf)
	}
	data, err := json.Marshal(saved)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "functions.json"), data, 0o644)
}

// Load recreates the functions Save wrote; a missing directory is empty.
func (s *Service) Load(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "functions.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var saved []savedFunction
	if err := json.Unmarshal(data, &saved); err != nil {
		return fmt.Errorf("lambda state %s: %w", dir, err)
	}
	for _, sf := range saved {
		zip, err := os.ReadFile(filepath.Join(dir, filepath.Base(sf.ZipFile)))
		if err != nil {
			return err
		}
		fn := &function{svc: s, name: sf.Name, arn: sf.ARN, runtime: sf.Runtime, role: sf.Role, handler: sf.Handler,
			description: sf.Description, timeout: sf.Timeout, memory: sf.Memory, env: sf.Env, architectures: sf.Architectures,
			state: StateActive, updateStatus: UpdateSuccess, lastModified: sf.LastModified, reserved: sf.Reserved,
			policy: sf.Policy, instances: map[*instance]struct{}{}}
		if fn.env == nil {
			fn.env = map[string]string{}
		}
		s.mu.Lock()
		s.functions[fn.name] = fn
		s.mu.Unlock()
		fn.installCode(zip)
	}
	return nil
}

package lambda

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// Versions and aliases. PublishVersion snapshots $LATEST's code and
// configuration as an immutable, numbered function with its own instances
// (and its own unpacked code, so updating $LATEST leaves it alone); an alias
// names a version and may send a weighted share of calls to a second one.
// Invoke, GetFunction and GetFunctionConfiguration take a qualifier (a
// version, an alias or $LATEST) as ?Qualifier= or as the name's suffix.

// alias is an alias in its AliasConfiguration JSON shape.
type alias struct {
	AliasArn        string         `json:"AliasArn"`
	Name            string         `json:"Name"`
	FunctionVersion string         `json:"FunctionVersion"`
	Description     string         `json:"Description"`
	RoutingConfig   *routingConfig `json:"RoutingConfig,omitempty"`
	RevisionID      string         `json:"RevisionId"`
}

type routingConfig struct {
	AdditionalVersionWeights map[string]float64 `json:"AdditionalVersionWeights"`
}

type aliasRequest struct {
	Name            *string        `json:"Name"`
	FunctionVersion *string        `json:"FunctionVersion"`
	Description     *string        `json:"Description"`
	RoutingConfig   *routingConfig `json:"RoutingConfig"`
}

type publishRequest struct {
	Description *string `json:"Description"`
	CodeSha256  *string `json:"CodeSha256"`
}

// validAlias is Lambda's alias pattern: 1-128 letters, digits, '-' and
// '_', not all digits (so it cannot be taken for a version).
func validAlias(name string) bool {
	if name == "" || len(name) > 128 || isDigits(name) {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// versionCodeGen spaces the code generations of versions apart from
// $LATEST's, whose unpacked code lives in <name>-<gen> directories too.
const versionCodeGen = 1_000_000

// versionLabel is "$LATEST" or the version number.
func (fn *function) versionLabel() string {
	if fn.version == "" {
		return latestVersion
	}
	return fn.version
}

// publishedVersions returns $LATEST's versions, oldest first.
func (fn *function) publishedVersions() []*function {
	fn.mu.Lock()
	defer fn.mu.Unlock()
	out := make([]*function, 0, len(fn.versions))
	for _, v := range fn.versions {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		n1, _ := strconv.Atoi(out[i].version)
		n2, _ := strconv.Atoi(out[j].version)
		return n1 < n2
	})
	return out
}

// qualifierOf splits "name:qualifier" or a qualified ARN.
func qualifierOf(nameOrARN string) string {
	parts := strings.Split(nameOrARN, ":")
	for i, p := range parts {
		if p == "function" && i+2 < len(parts) {
			return parts[i+2]
		}
	}
	if len(parts) == 2 && !isDigits(parts[0]) {
		return parts[1]
	}
	if len(parts) == 3 && isDigits(parts[0]) {
		return parts[2]
	}
	return ""
}

// lookupQualified finds the function a (possibly qualified) name means:
// $LATEST, a published version, or the version an alias picks (by its
// routing weights).
func (s *Service) lookupQualified(nameOrARN, qualifier string) (*function, error) {
	return s.resolveQualified(nameOrARN, qualifier, true)
}

// resolveQualified is lookupQualified; with route false an alias means its
// own version, whatever its weights (for reading configurations).
func (s *Service) resolveQualified(nameOrARN, qualifier string, route bool) (*function, error) {
	fn, err := s.lookup(nameOrARN)
	if err != nil {
		return nil, err
	}
	if q := qualifierOf(nameOrARN); q != "" {
		if qualifier != "" && qualifier != q {
			return nil, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "The derived qualifier from the function name does not match the specified qualifier.")
		}
		qualifier = q
	}
	if qualifier == "" || qualifier == latestVersion {
		return fn, nil
	}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if a, ok := fn.aliases[qualifier]; ok {
		qualifier = a.FunctionVersion
		if route {
			qualifier = a.pick()
		}
		if qualifier == latestVersion {
			return fn, nil
		}
	}
	if v, ok := fn.versions[qualifier]; ok {
		return v, nil
	}
	return nil, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, fmt.Sprintf("Function not found: %s:%s", fn.arn, qualifier))
}

// pick chooses the version for one call: an additional version gets its
// weight's share of calls, the alias's own version the rest.
func (a *alias) pick() string {
	if a.RoutingConfig != nil {
		r := rand.Float64()
		for v, w := range a.RoutingConfig.AdditionalVersionWeights {
			if r < w {
				return v
			}
			r -= w
		}
	}
	return a.FunctionVersion
}

func (s *Service) handlePublishVersion(w http.ResponseWriter, r *http.Request) {
	var in publishRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	fn.mu.Lock()
	if sha := ptr.Value(in.CodeSha256); sha != "" && sha != fn.codeSha256 {
		fn.mu.Unlock()
		awserr.Write(w, awserr.New(http.StatusPreconditionFailed, "PreconditionFailedException", "CodeSha256 ("+sha+") is different from current CodeSha256 in $LATEST ("+fn.codeSha256+"). Please try again with the CodeSha256 in $LATEST."))
		return
	}
	// Publishing unchanged code and configuration returns the last version, as AWS does.
	if last := fn.versions[strconv.Itoa(fn.lastVersion)]; last != nil && last.sameAs(fn) {
		fn.mu.Unlock()
		awserr.WriteJSON(w, http.StatusCreated, last.configuration())
		return
	}
	fn.lastVersion++
	n := strconv.Itoa(fn.lastVersion)
	v := &function{svc: s, name: fn.name, arn: fn.arn + ":" + n, runtime: fn.runtime, role: fn.role, handler: fn.handler,
		description: fn.description, timeout: fn.timeout, memory: fn.memory, env: copyEnv(fn.env), architectures: fn.architectures,
		state: StatePending, stateReason: "The function is being created.", stateCode: "Creating", updateStatus: UpdateSuccess, lastModified: time.Now().UTC(),
		instances: map[*instance]struct{}{}, version: n, codeGen: fn.lastVersion * versionCodeGen}
	if in.Description != nil {
		v.description = *in.Description
	}
	zip := fn.zip
	if fn.versions == nil {
		fn.versions = map[string]*function{}
	}
	fn.versions[n] = v
	fn.mu.Unlock()
	v.installCode(zip)
	go s.activate(v)
	s.log.Info("lambda version published", "function", fn.name, "version", n)
	awserr.WriteJSON(w, http.StatusCreated, v.configuration())
}

// sameAs reports whether version v has latest's code and configuration.
// The caller holds latest.mu; a version's fields do not change.
func (v *function) sameAs(latest *function) bool {
	if v.codeSha256 != latest.codeSha256 || v.handler != latest.handler || v.timeout != latest.timeout ||
		v.memory != latest.memory || v.role != latest.role || len(v.env) != len(latest.env) {
		return false
	}
	for k, val := range latest.env {
		if v.env[k] != val {
			return false
		}
	}
	return true
}

func (s *Service) handleListVersions(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	items := []configuration{fn.configuration()}
	for _, v := range fn.publishedVersions() {
		items = append(items, v.configuration())
	}
	awserr.WriteJSON(w, http.StatusOK, map[string]any{"Versions": items})
}

// checkAlias checks an alias's versions exist and its weights are sane.
// The caller holds fn.mu.
func (fn *function) checkAlias(a *alias) error {
	exists := func(v string) bool { return v == latestVersion || fn.versions[v] != nil }
	if !exists(a.FunctionVersion) {
		return awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "Function not found: "+fn.arn+":"+a.FunctionVersion)
	}
	if a.RoutingConfig != nil {
		if len(a.RoutingConfig.AdditionalVersionWeights) > 1 {
			return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "RoutingConfig may name one additional version")
		}
		for v, weight := range a.RoutingConfig.AdditionalVersionWeights {
			if !exists(v) || v == latestVersion || v == a.FunctionVersion || a.FunctionVersion == latestVersion {
				return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "RoutingConfig's additional version must be another published version, next to a published FunctionVersion")
			}
			if weight < 0 || weight > 1 {
				return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "a routing weight must be between 0.0 and 1.0")
			}
		}
	}
	return nil
}

func (s *Service) handleCreateAlias(w http.ResponseWriter, r *http.Request) {
	var in aliasRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	name := ptr.Value(in.Name)
	if !validAlias(name) {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "Invalid alias name "+name+": letters, digits, - and _, not all digits"))
		return
	}
	a := &alias{AliasArn: fn.arn + ":" + name, Name: name, FunctionVersion: ptr.Value(in.FunctionVersion), Description: ptr.Value(in.Description),
		RoutingConfig: in.RoutingConfig, RevisionID: randomHex(8)}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if _, exists := fn.aliases[name]; exists {
		awserr.Write(w, awserr.New(http.StatusConflict, awserr.ResourceConflict, "Alias already exists: "+a.AliasArn))
		return
	}
	if err := fn.checkAlias(a); err != nil {
		awserr.Write(w, err)
		return
	}
	if fn.aliases == nil {
		fn.aliases = map[string]*alias{}
	}
	fn.aliases[name] = a
	awserr.WriteJSON(w, http.StatusCreated, a)
}

// withAlias runs f with the alias in the path, under fn.mu.
func (s *Service) withAlias(w http.ResponseWriter, r *http.Request, f func(fn *function, a *alias)) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	a, ok := fn.aliases[r.PathValue("alias")]
	if !ok {
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "Alias not found: "+fn.arn+":"+r.PathValue("alias")))
		return
	}
	f(fn, a)
}

func (s *Service) handleGetAlias(w http.ResponseWriter, r *http.Request) {
	s.withAlias(w, r, func(_ *function, a *alias) { awserr.WriteJSON(w, http.StatusOK, a) })
}

func (s *Service) handleUpdateAlias(w http.ResponseWriter, r *http.Request) {
	var in aliasRequest
	if !decodeBody(w, r, &in) {
		return
	}
	s.withAlias(w, r, func(fn *function, a *alias) {
		next := *a
		if in.FunctionVersion != nil {
			next.FunctionVersion = *in.FunctionVersion
		}
		if in.Description != nil {
			next.Description = *in.Description
		}
		if in.RoutingConfig != nil {
			next.RoutingConfig = in.RoutingConfig
			if len(in.RoutingConfig.AdditionalVersionWeights) == 0 {
				next.RoutingConfig = nil
			}
		}
		if err := fn.checkAlias(&next); err != nil {
			awserr.Write(w, err)
			return
		}
		next.RevisionID = randomHex(8)
		*a = next
		awserr.WriteJSON(w, http.StatusOK, a)
	})
}

func (s *Service) handleDeleteAlias(w http.ResponseWriter, r *http.Request) {
	s.withAlias(w, r, func(fn *function, a *alias) {
		delete(fn.aliases, a.Name)
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handleListAliases(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	items := make([]alias, 0, len(fn.aliases))
	for _, a := range fn.aliases {
		items = append(items, *a)
	}
	fn.mu.Unlock()
	sort.Slice(items, func(i, j int) bool { return items[i].Name < items[j].Name })
	awserr.WriteJSON(w, http.StatusOK, map[string]any{"Aliases": items})
}

// deleteVersion deletes one published version (DeleteFunction with a
// Qualifier); one an alias points to is refused, as AWS does.
func (s *Service) deleteVersion(w http.ResponseWriter, fn *function, qualifier string) {
	fn.mu.Lock()
	v, ok := fn.versions[qualifier]
	if !ok {
		fn.mu.Unlock()
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "Function not found: "+fn.arn+":"+qualifier))
		return
	}
	for _, a := range fn.aliases {
		_, weighted := a.RoutingConfig.weights()[qualifier]
		if a.FunctionVersion == qualifier || weighted {
			fn.mu.Unlock()
			awserr.Write(w, awserr.New(http.StatusConflict, awserr.ResourceConflict, "Unable to delete version because the following aliases reference it: ["+a.Name+"]"))
			return
		}
	}
	delete(fn.versions, qualifier)
	fn.mu.Unlock()
	v.shutdown()
	w.WriteHeader(http.StatusNoContent)
}

func (rc *routingConfig) weights() map[string]float64 {
	if rc == nil {
		return nil
	}
	return rc.AdditionalVersionWeights
}

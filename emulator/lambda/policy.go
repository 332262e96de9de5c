package lambda

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
)

// policyStatement is one statement of a function's resource policy, as
// AddPermission creates it.
type policyStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal"`
	Action    string         `json:"Action"`
	Resource  string         `json:"Resource"`
	Condition map[string]any `json:"Condition,omitempty"`
}

func (s *Service) handleAddPermission(w http.ResponseWriter, r *http.Request) {
	var in addPermissionRequest
	fn, ok := s.functionAndBody(w, r, &in)
	if !ok {
		return
	}
	if ptr.Value(in.StatementID) == "" || ptr.Value(in.Action) == "" || ptr.Value(in.Principal) == "" {
		awserr.Write(w, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "StatementId, Action and Principal are required"))
		return
	}
	st := policyStatement{
		Sid:       *in.StatementID,
		Effect:    "Allow",
		Principal: map[string]any{"Service": *in.Principal},
		Action:    *in.Action,
		Resource:  fn.arn,
	}
	if in.SourceArn != nil {
		st.Condition = map[string]any{"ArnLike": map[string]string{"AWS:SourceArn": *in.SourceArn}}
	}
	fn.mu.Lock()
	for _, existing := range fn.policy {
		if existing.Sid == st.Sid {
			fn.mu.Unlock()
			awserr.Write(w, awserr.New(http.StatusConflict, awserr.ResourceConflict,
				fmt.Sprintf("The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", st.Sid)))
			return
		}
	}
	fn.policy = append(fn.policy, st)
	fn.revision++
	fn.mu.Unlock()
	doc, _ := json.Marshal(st)
	awserr.WriteJSON(w, http.StatusCreated, map[string]string{"Statement": string(doc)})
}

func (s *Service) handleGetPolicy(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if len(fn.policy) == 0 {
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "The resource you requested does not exist."))
		return
	}
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": fn.policy})
	awserr.WriteJSON(w, http.StatusOK, map[string]string{"Policy": string(doc), "RevisionId": fmt.Sprintf("rev-%d", fn.revision)})
}

func (s *Service) handleRemovePermission(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	sid := r.PathValue("sid")
	fn.mu.Lock()
	defer fn.mu.Unlock()
	for i, st := range fn.policy {
		if st.Sid == sid {
			fn.policy = append(fn.policy[:i], fn.policy[i+1:]...)
			fn.revision++
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	awserr.Write(w, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "Statement "+sid+" is not found in resource policy."))
}

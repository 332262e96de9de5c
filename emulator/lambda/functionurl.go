package lambda

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coolroom/testbed/emulator/awserr"
	"github.com/coolroom/testbed/emulator/internal/ptr"
	"github.com/coolroom/testbed/emulator/internal/vhost"
)

// Function URLs: Create/Get/Update/Delete/ListFunctionUrlConfigs for a
// function's $LATEST. The URL is LocalStack's form,
// http://<url-id>.lambda-url.<region>.localhost.localstack.cloud:<port>/;
// the emulator's server serves those hosts through FunctionForURL.

// urlConfig is a function's URL configuration in its JSON shape.
type urlConfig struct {
	FunctionURL      string         `json:"FunctionUrl"`
	FunctionArn      string         `json:"FunctionArn"`
	AuthType         string         `json:"AuthType"`
	Cors             map[string]any `json:"Cors,omitempty"`
	InvokeMode       string         `json:"InvokeMode"`
	CreationTime     string         `json:"CreationTime"`
	LastModifiedTime string         `json:"LastModifiedTime"`
	id               string
}

type urlConfigRequest struct {
	AuthType   *string        `json:"AuthType"`
	Cors       map[string]any `json:"Cors"`
	InvokeMode *string        `json:"InvokeMode"`
}

// urlFunction finds the function of a URL request; only $LATEST (no
// qualifier) has a URL in the emulator.
func (s *Service) urlFunction(r *http.Request) (*function, error) {
	if q := r.URL.Query().Get("Qualifier"); q != "" && q != latestVersion {
		return nil, awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue,
			"the emulator has no versions or aliases: function URLs belong to $LATEST (no Qualifier)")
	}
	return s.lookup(r.PathValue("name"))
}

func checkURLConfig(c *urlConfig) error {
	if c.AuthType != "NONE" && c.AuthType != "AWS_IAM" {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "AuthType must be NONE or AWS_IAM")
	}
	if c.InvokeMode != "BUFFERED" {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "InvokeMode must be BUFFERED: the emulator does not stream responses")
	}
	return nil
}

func (s *Service) handleCreateFunctionURL(w http.ResponseWriter, r *http.Request) {
	fn, err := s.urlFunction(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	var in urlConfigRequest
	if !decodeBody(w, r, &in) {
		return
	}
	at := time.Now().UTC().Format(lastModifiedFmt)
	c := &urlConfig{AuthType: ptr.Value(in.AuthType), Cors: in.Cors, InvokeMode: "BUFFERED", CreationTime: at, LastModifiedTime: at, id: randomHex(16)}
	if in.InvokeMode != nil {
		c.InvokeMode = *in.InvokeMode
	}
	if err := checkURLConfig(c); err != nil {
		awserr.Write(w, err)
		return
	}
	port := "4566"
	if _, p, err := net.SplitHostPort(r.Host); err == nil {
		port = p
	}
	c.FunctionURL = "http://" + c.id + ".lambda-url." + s.regionOf(r) + ".localhost.localstack.cloud:" + port + "/"
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if fn.url != nil {
		awserr.Write(w, awserr.New(http.StatusConflict, awserr.ResourceConflict, "Failed to create function url config for [functionArn = "+fn.arn+"]. Error message:  FunctionUrlConfig exists for this Lambda function"))
		return
	}
	c.FunctionArn = fn.arn
	fn.url = c
	awserr.WriteJSON(w, http.StatusCreated, c)
}

func (s *Service) withURL(w http.ResponseWriter, r *http.Request, f func(fn *function)) {
	fn, err := s.urlFunction(r)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	if fn.url == nil {
		awserr.Write(w, awserr.New(http.StatusNotFound, awserr.ResourceNotFound, "The resource you requested does not exist."))
		return
	}
	f(fn)
}

func (s *Service) handleGetFunctionURL(w http.ResponseWriter, r *http.Request) {
	s.withURL(w, r, func(fn *function) { awserr.WriteJSON(w, http.StatusOK, fn.url) })
}

func (s *Service) handleUpdateFunctionURL(w http.ResponseWriter, r *http.Request) {
	var in urlConfigRequest
	if !decodeBody(w, r, &in) {
		return
	}
	s.withURL(w, r, func(fn *function) {
		next := *fn.url
		if in.AuthType != nil {
			next.AuthType = *in.AuthType
		}
		if in.InvokeMode != nil {
			next.InvokeMode = *in.InvokeMode
		}
		if in.Cors != nil {
			next.Cors = in.Cors
		}
		if err := checkURLConfig(&next); err != nil {
			awserr.Write(w, err)
			return
		}
		next.LastModifiedTime = time.Now().UTC().Format(lastModifiedFmt)
		*fn.url = next
		awserr.WriteJSON(w, http.StatusOK, fn.url)
	})
}

func (s *Service) handleDeleteFunctionURL(w http.ResponseWriter, r *http.Request) {
	s.withURL(w, r, func(fn *function) {
		fn.url = nil
		w.WriteHeader(http.StatusNoContent)
	})
}

func (s *Service) handleListFunctionURLs(w http.ResponseWriter, r *http.Request) {
	fn, ok := s.functionOf(w, r)
	if !ok {
		return
	}
	fn.mu.Lock()
	items := []*urlConfig{}
	if fn.url != nil {
		c := *fn.url
		items = append(items, &c)
	}
	fn.mu.Unlock()
	awserr.WriteJSON(w, http.StatusOK, map[string]any{"FunctionUrlConfigs": items})
}

// FunctionForURL returns the ARN of the function whose URL has this id.
func (s *Service) FunctionForURL(id string) (arn string, ok bool) {
	s.mu.Lock()
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn.mu.Lock()
		match := fn.url != nil && fn.url.id == id
		arn = fn.arn
		fn.mu.Unlock()
		if match {
			return arn, true
		}
	}
	return "", false
}

// URLHost returns the URL id of a Host like
// <id>.lambda-url.<region>.localhost.localstack.cloud[:port], or "".
func URLHost(host string) string {
	id, rest, ok := vhost.ID(host, ".lambda-url.")
	if !ok || !strings.Contains(rest, "localhost") {
		return ""
	}
	return id
}

package s3

import (
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// maxCORSRules is S3's limit on the rules of one CORS configuration.
const maxCORSRules = 100

// corsConfiguration is a bucket's CORS configuration, both the
// PutBucketCors request (Unmarshal ignores the namespace) and, through
// corsConfigurationResult, the GetBucketCors answer.
type corsConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	Rules   []corsRule `xml:"CORSRule"`
}

// corsConfigurationResult answers GetBucketCors.
type corsConfigurationResult struct {
	XMLName xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CORSConfiguration"`
	Rules   []corsRule `xml:"CORSRule"`
}

// corsRule is one CORSRule, in the element order of the API reference.
type corsRule struct {
	ID             string   `xml:"ID,omitempty"`
	AllowedHeaders []string `xml:"AllowedHeader"`
	AllowedMethods []string `xml:"AllowedMethod"`
	AllowedOrigins []string `xml:"AllowedOrigin"`
	ExposeHeaders  []string `xml:"ExposeHeader"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty"`
}

// corsMethods are the methods a CORS rule may allow.
var corsMethods = []string{http.MethodGet, http.MethodPut, http.MethodHead, http.MethodPost, http.MethodDelete}

// validate applies PutBucketCors' rules.
func (c *corsConfiguration) validate() *apiError {
	if len(c.Rules) == 0 || len(c.Rules) > maxCORSRules {
		return newError(ErrMalformedXML)
	}
	for _, r := range c.Rules {
		if len(r.AllowedMethods) == 0 || len(r.AllowedOrigins) == 0 || len(r.ID) > 255 {
			return newError(ErrMalformedXML)
		}
		for _, m := range r.AllowedMethods {
			if !slices.Contains(corsMethods, m) {
				return errorf(ErrInvalidRequest, "Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return errorf(ErrInvalidRequest, "AllowedOrigin \"%s\" can not have more than one wildcard.", o)
			}
		}
		for _, h := range r.AllowedHeaders {
			if strings.Count(h, "*") > 1 {
				return errorf(ErrInvalidRequest, "AllowedHeader \"%s\" can not have more than one wildcard.", h)
			}
		}
	}
	return nil
}

// putBucketCors implements PutBucketCors.
func (s *Service) putBucketCors(rq *request) *apiError {
	raw, err := io.ReadAll(io.LimitReader(rq.r.Body, maxTaggingBody+1))
	if err != nil {
		return newError(ErrIncompleteBody)
	}
	var cfg corsConfiguration
	if len(raw) > maxTaggingBody || xml.Unmarshal(raw, &cfg) != nil {
		return newError(ErrMalformedXML)
	}
	if aerr := cfg.validate(); aerr != nil {
		return aerr
	}
	return s.updateBucket(rq, http.StatusOK, func(b *bucket) { b.cors = cfg.Rules })
}

// getBucketCors implements GetBucketCors.
func (s *Service) getBucketCors(rq *request) *apiError {
	rules, aerr := readBucket(s, rq.bucket, func(b *bucket) []corsRule { return b.cors })
	if aerr != nil {
		return aerr
	}
	if rules == nil {
		return newError(ErrNoSuchCORSConfiguration).with("BucketName", rq.bucket)
	}
	writeXML(rq.w, http.StatusOK, corsConfigurationResult{Rules: rules})
	return nil
}

// deleteBucketCors implements DeleteBucketCors.
func (s *Service) deleteBucketCors(rq *request) *apiError {
	return s.updateBucket(rq, http.StatusNoContent, func(b *bucket) { b.cors = nil })
}

// wildcardMatch matches s against a pattern with at most one "*".
func wildcardMatch(pattern, s string) bool {
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// match reports whether the rule allows origin, method and every one of
// the request headers (compared case-insensitively).
func (r *corsRule) match(origin, method string, headers []string) bool {
	if !slices.Contains(r.AllowedMethods, method) {
		return false
	}
	if !slices.ContainsFunc(r.AllowedOrigins, func(o string) bool { return wildcardMatch(o, origin) }) {
		return false
	}
	for _, h := range headers {
		h = strings.ToLower(h)
		if !slices.ContainsFunc(r.AllowedHeaders, func(a string) bool { return wildcardMatch(strings.ToLower(a), h) }) {
			return false
		}
	}
	return true
}

// findCORSRule returns the first rule of the bucket that allows the
// request, as S3 evaluates them in order.
func (s *Service) findCORSRule(bucketName, origin, method string, headers []string) (rule *corsRule, hasConfig bool, aerr *apiError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, aerr := s.lookupBucket(bucketName)
	if aerr != nil {
		return nil, false, aerr
	}
	for i := range b.cors {
		if b.cors[i].match(origin, method, headers) {
			r := b.cors[i] // rules are replaced, never modified, so a copy is current
			return &r, true, nil
		}
	}
	return nil, b.cors != nil, nil
}

// setCORSHeaders adds the Access-Control-* headers of a matching rule.
// A rule allowing any origin answers "*"; a specific origin is echoed
// along with Allow-Credentials, as S3 does.
func setCORSHeaders(h http.Header, r *corsRule, origin string) {
	if slices.Contains(r.AllowedOrigins, "*") {
		h.Set("Access-Control-Allow-Origin", "*")
	} else {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethods, ", "))
	if len(r.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeaders, ", "))
	}
	if r.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*r.MaxAgeSeconds))
	}
	h.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method")
}

// preflight implements the OPTIONS request a browser sends before a
// cross-origin request: 400 without Origin or Access-Control-Request-Method,
// 403 CORSResponse when the bucket has no CORS configuration or no rule
// allows the request, else 200 with the rule's Access-Control-* headers.
func (s *Service) preflight(rq *request) *apiError {
	h := rq.r.Header
	origin := h.Get("Origin")
	if origin == "" {
		return errorf(ErrBadRequest, "Insufficient information. Origin request header needed.")
	}
	method := h.Get("Access-Control-Request-Method")
	if method == "" {
		return errorf(ErrBadRequest, "Invalid Access-Control-Request-Method: null")
	}
	var headers []string
	for _, v := range h.Values("Access-Control-Request-Headers") {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				headers = append(headers, name)
			}
		}
	}
	rule, hasConfig, aerr := s.findCORSRule(rq.bucket, origin, method, headers)
	switch {
	case aerr != nil:
		return aerr
	case !hasConfig:
		return errorf(ErrCORSResponse, "CORS is not enabled for this bucket.")
	case rule == nil:
		return errorf(ErrCORSResponse, "This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.").
			with("Method", method).with("ResourceType", resourceType(rq))
	}
	out := rq.w.Header()
	setCORSHeaders(out, rule, origin)
	if len(headers) > 0 {
		out.Set("Access-Control-Allow-Headers", strings.ToLower(strings.Join(headers, ", ")))
	}
	rq.w.Header().Set("Content-Length", "0")
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// resourceType names the kind of resource addressed, as S3's CORS errors
// do.
func resourceType(rq *request) string {
	if rq.key == "" {
		return "BUCKET"
	}
	return "OBJECT"
}

// applyCORS adds CORS headers to an actual (non-preflight) request that
// carries an Origin and matches one of the bucket's rules. Requests
// without Origin (every SDK and CLI) skip it entirely.
func (s *Service) applyCORS(rq *request) {
	origin := rq.r.Header.Get("Origin")
	if origin == "" || rq.bucket == "" {
		return
	}
	rule, _, aerr := s.findCORSRule(rq.bucket, origin, rq.r.Method, nil)
	if aerr != nil || rule == nil {
		return
	}
	setCORSHeaders(rq.w.Header(), rule, origin)
}

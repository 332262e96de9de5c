package s3

import (
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// localstackDomain is the suffix of LocalStack's host names; its
// virtual-host style endpoint is <bucket>.s3[.<region>].localhost.localstack.cloud.
const localstackDomain = ".localhost.localstack.cloud"

// bucketFromHost returns the bucket named by a virtual-host style Host
// header. Any other host (localhost, 127.0.0.1,
// s3.localhost.localstack.cloud, a container name...) means path style.
// It runs on every request, hence string functions rather than a regexp.
func bucketFromHost(host string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, ".")) // fully-qualified form
	if rest, ok := strings.CutSuffix(host, localstackDomain); ok {
		return bucketFromS3Label(rest)
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok && b != "" {
		return b, true
	}
	return "", false
}

// bucketFromS3Label splits "<bucket>.s3" or "<bucket>.s3.<region>". The
// bucket is the longest prefix that fits, so bucket names containing ".s3"
// keep it.
func bucketFromS3Label(s string) (string, bool) {
	if b, ok := strings.CutSuffix(s, ".s3"); ok && b != "" {
		return b, true
	}
	i := strings.LastIndexByte(s, '.')
	if i < 0 || !isRegionLabel(s[i+1:]) {
		return "", false
	}
	if b, ok := strings.CutSuffix(s[:i], ".s3"); ok && b != "" {
		return b, true
	}
	return "", false
}

// isRegionLabel reports whether s looks like a region name ([a-z0-9-]+).
func isRegionLabel(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// parseAddress extracts bucket and key. It splits the still-escaped path so
// that an encoded "/" (%2F) inside the bucket segment cannot move the
// boundary, then decodes each part with PathUnescape, under which "+" is a
// literal plus (only query strings use "+" for space).
func parseAddress(r *http.Request) (bucket, key string, aerr *apiError) {
	escaped := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	vhostBucket, vhost := bucketFromHost(r.Host)
	rawBucket, rawKey := "", escaped
	if !vhost {
		rawBucket, rawKey, _ = strings.Cut(escaped, "/")
	}
	var err error
	if key, err = url.PathUnescape(rawKey); err != nil {
		return "", "", errorf(ErrInvalidURI, "Couldn't parse the specified URI.")
	}
	if vhost {
		return vhostBucket, key, nil
	}
	if bucket, err = url.PathUnescape(rawBucket); err != nil {
		return "", "", errorf(ErrInvalidURI, "Couldn't parse the specified URI.")
	}
	if bucket == "" && key != "" {
		// "//key": there is no bucket to put a key in.
		return "", "", errorf(ErrInvalidURI, "Couldn't parse the specified URI.")
	}
	return bucket, key, nil
}

// route identifies the S3 operation and returns its handler. Operations the
// emulator does not support are recognised by their sub-resource query
// parameter or header and rejected with NotImplemented naming them, rather
// than being mistaken for a plain GetObject/PutObject (which would, for
// example, silently store an empty object for UploadPartCopy).
func (s *Service) route(rq *request) (handlerFunc, *apiError) {
	bucket, key, aerr := parseAddress(rq.r)
	if aerr != nil {
		rq.op = "Unknown"
		return nil, aerr
	}
	rq.bucket, rq.key = bucket, key
	if rq.r.URL.RawQuery != "" {
		rq.query = rq.r.URL.Query()
	} else {
		rq.query = url.Values{} // most object requests: skip the parse
	}
	handler, aerr := s.dispatch(rq)
	if aerr != nil {
		return nil, aerr
	}
	// Authentication comes before any resource lookup, as on S3: an expired
	// presigned URL is 403 even for a missing key.
	if aerr := s.checkPresigned(rq.query); aerr != nil {
		return nil, aerr
	}
	return handler, nil
}

// dispatch maps method, address and sub-resource to the operation: the
// first row of the address's table (operations.go) that fits.
func (s *Service) dispatch(rq *request) (handlerFunc, *apiError) {
	table := objectRoutes
	switch {
	case rq.bucket == "":
		table = serviceRoutes
	case rq.key == "":
		table = bucketRoutes
	}
	method := rq.r.Method
	for _, rt := range table {
		if rt.subresources != nil {
			if op, ok := rt.subresources(method, rq.query); ok {
				return s.subresourceHandler(rq, op)
			}
			continue
		}
		if !rt.fits(rq, method) {
			continue
		}
		rq.op = rt.op
		if rt.handle == nil {
			return nil, errMethodNotAllowed(method, rt.resourceType, rt.allow)
		}
		h := rt.handle
		return func(rq *request) *apiError { return h(s, rq) }, nil
	}
	rq.op = "Unknown"
	return nil, errMethodNotAllowed(method, "OBJECT", "GET, PUT, HEAD, DELETE") // unreachable: each table ends with a catch-all
}

// fits reports whether the request has the route's method, sub-resource
// and copy source.
func (rt route) fits(rq *request, method string) bool {
	if rt.method != "" && rt.method != method {
		return false
	}
	if rt.copySource && rq.r.Header.Get("X-Amz-Copy-Source") == "" {
		return false
	}
	if rt.param == "" {
		return true
	}
	name, value, withValue := strings.Cut(rt.param, "=")
	if withValue {
		return rq.query.Get(name) == value
	}
	return rq.query.Has(name)
}

func errMethodNotAllowed(method, resourceType, allow string) *apiError {
	return newError(ErrMethodNotAllowed).
		with("Method", method).
		with("ResourceType", resourceType).
		withHeader("Allow", allow)
}

// bucketSubresources maps bucket sub-resource query parameters to the noun
// of their operations (Get/Put/Delete + noun).
var bucketSubresources = map[string]string{
	"accelerate":          "BucketAccelerateConfiguration",
	"acl":                 "BucketAcl",
	"analytics":           "BucketAnalyticsConfiguration",
	"cors":                "BucketCors",
	"encryption":          "BucketEncryption",
	"intelligent-tiering": "BucketIntelligentTieringConfiguration",
	"inventory":           "BucketInventoryConfiguration",
	"lifecycle":           "BucketLifecycleConfiguration",
	"logging":             "BucketLogging",
	"metadataTable":       "BucketMetadataTableConfiguration",
	"metrics":             "BucketMetricsConfiguration",
	"notification":        "BucketNotificationConfiguration",
	"object-lock":         "ObjectLockConfiguration",
	"ownershipControls":   "BucketOwnershipControls",
	"policy":              "BucketPolicy",
	"policyStatus":        "BucketPolicyStatus",
	"publicAccessBlock":   "PublicAccessBlock",
	"replication":         "BucketReplication",
	"requestPayment":      "BucketRequestPayment",
	"tagging":             "BucketTagging",
	"versioning":          "BucketVersioning",
	"website":             "BucketWebsite",
}

// objectSubresources is the object-level counterpart of bucketSubresources.
var objectSubresources = map[string]string{
	"acl":        "ObjectAcl",
	"attributes": "ObjectAttributes",
	"legal-hold": "ObjectLegalHold",
	"retention":  "ObjectRetention",
	"tagging":    "ObjectTagging",
	"torrent":    "ObjectTorrent",
}

// subresourceHandler returns the handler of a sub-resource operation, or
// NotImplemented naming it.
func (s *Service) subresourceHandler(rq *request, op string) (handlerFunc, *apiError) {
	rq.op = op
	h, ok := subresourceOperations[op]
	if !ok {
		return nil, errNotImplemented(op)
	}
	return func(rq *request) *apiError { return h(s, rq) }, nil
}

// bucketSubresourceOp names the bucket operation selected by a
// sub-resource.
func bucketSubresourceOp(method string, q url.Values) (string, bool) {
	switch {
	case q.Has("session"):
		return "CreateSession", true
	}
	return subresourceOp(method, q, bucketSubresources)
}

// objectSubresourceOp names the object operation selected by a
// sub-resource.
func objectSubresourceOp(method string, q url.Values) (string, bool) {
	switch {
	case q.Has("restore"):
		return "RestoreObject", true
	case q.Has("select"):
		return "SelectObjectContent", true
	case q.Has("partNumber") && method != http.MethodGet && method != http.MethodHead:
		return verb(method) + "Object (partNumber)", true
	}
	return subresourceOp(method, q, objectSubresources)
}

// subresourceOp finds the first (in sorted order, for determinism) known
// sub-resource in q and builds its operation name.
func subresourceOp(method string, q url.Values, table map[string]string) (string, bool) {
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if noun, ok := table[name]; ok {
			return verb(method) + noun, true
		}
	}
	return "", false
}

func verb(method string) string {
	switch method {
	case http.MethodGet:
		return "Get"
	case http.MethodPut:
		return "Put"
	case http.MethodDelete:
		return "Delete"
	case http.MethodHead:
		return "Head"
	case http.MethodPost:
		return "Post"
	}
	return method + " "
}

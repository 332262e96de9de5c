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

// dispatch maps method, address and sub-resource to the operation.
func (s *Service) dispatch(rq *request) (handlerFunc, *apiError) {
	q, method := rq.query, rq.r.Method
	if method == http.MethodOptions && rq.bucket != "" {
		rq.op = "OPTIONS (CORS preflight)"
		return s.preflight, nil
	}

	switch {
	case rq.bucket == "":
		if method == http.MethodGet {
			rq.op = "ListBuckets"
			return s.listBuckets, nil
		}
		rq.op = "Unknown"
		return nil, errMethodNotAllowed(method, "SERVICE", http.MethodGet)

	case rq.key == "":
		return s.dispatchBucket(rq, method, q)
	}
	return s.dispatchObject(rq, method, q)
}

func (s *Service) dispatchBucket(rq *request, method string, q url.Values) (handlerFunc, *apiError) {
	if len(q) > 0 {
		switch {
		case q.Has("delete") && method == http.MethodPost:
			rq.op = "DeleteObjects"
			return s.deleteObjects, nil
		case q.Has("uploads") && method == http.MethodGet:
			rq.op = "ListMultipartUploads"
			return s.listMultipartUploads, nil
		case q.Has("versions"):
			rq.op = "ListObjectVersions"
			if method != http.MethodGet {
				return nil, errMethodNotAllowed(method, "BUCKET", http.MethodGet)
			}
			return s.listObjectVersions, nil
		}
		if op, ok := bucketSubresourceOp(method, q); ok {
			return s.subresourceHandler(rq, op)
		}
	}
	switch method {
	case http.MethodGet:
		switch {
		case q.Has("location"):
			rq.op = "GetBucketLocation"
			return s.getBucketLocation, nil
		case q.Get("list-type") == "2":
			rq.op = "ListObjectsV2"
			return s.listObjectsV2, nil
		}
		rq.op = "ListObjects"
		return s.listObjectsV1, nil
	case http.MethodPut:
		rq.op = "CreateBucket"
		return s.createBucket, nil
	case http.MethodHead:
		rq.op = "HeadBucket"
		return s.headBucket, nil
	case http.MethodDelete:
		rq.op = "DeleteBucket"
		return s.deleteBucket, nil
	case http.MethodPost:
		// A POST to the bucket without sub-resource is a browser form
		// upload.
		rq.op = "PostObject"
		return s.postObject, nil
	}
	rq.op = "Unknown"
	return nil, errMethodNotAllowed(method, "BUCKET", "GET, PUT, HEAD, DELETE, POST")
}

func (s *Service) dispatchObject(rq *request, method string, q url.Values) (handlerFunc, *apiError) {
	copySource := rq.r.Header.Get("X-Amz-Copy-Source") != ""
	if len(q) > 0 {
		switch {
		case q.Has("uploadId"):
			switch method {
			case http.MethodPut:
				if copySource {
					rq.op = "UploadPartCopy"
					return s.uploadPartCopy, nil
				}
				rq.op = "UploadPart"
				return s.uploadPart, nil
			case http.MethodPost:
				rq.op = "CompleteMultipartUpload"
				return s.completeMultipartUpload, nil
			case http.MethodDelete:
				rq.op = "AbortMultipartUpload"
				return s.abortMultipartUpload, nil
			case http.MethodGet:
				rq.op = "ListParts"
				return s.listParts, nil
			}
			rq.op = "Unknown"
			return nil, errMethodNotAllowed(method, "MULTIPART_UPLOAD", "GET, PUT, POST, DELETE")
		case q.Has("uploads") && method == http.MethodPost:
			rq.op = "CreateMultipartUpload"
			return s.createMultipartUpload, nil
		}
		if op, ok := objectSubresourceOp(method, q); ok {
			return s.subresourceHandler(rq, op)
		}
	}
	switch method {
	case http.MethodPut:
		if copySource {
			rq.op = "CopyObject"
			return s.copyObject, nil
		}
		rq.op = "PutObject"
		return s.putObject, nil
	case http.MethodGet:
		rq.op = "GetObject"
		return s.getObject, nil
	case http.MethodHead:
		rq.op = "HeadObject"
		return s.headObject, nil
	case http.MethodDelete:
		rq.op = "DeleteObject"
		return s.deleteObject, nil
	}
	// POST on an object is only meaningful with ?uploads, ?uploadId,
	// ?restore or ?select.
	rq.op = "Unknown"
	return nil, errMethodNotAllowed(method, "OBJECT", "GET, PUT, HEAD, DELETE")
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

// subresourceHandlers are the implemented operations selected by a
// sub-resource; every other one is NotImplemented.
var subresourceHandlers = map[string]operation{
	"GetObjectTagging":    (*Service).getObjectTagging,
	"PutObjectTagging":    (*Service).putObjectTagging,
	"DeleteObjectTagging": (*Service).deleteObjectTagging,
	"GetBucketTagging":    (*Service).getBucketTagging,
	"PutBucketTagging":    (*Service).putBucketTagging,
	"DeleteBucketTagging": (*Service).deleteBucketTagging,
	"GetBucketCors":       (*Service).getBucketCors,
	"PutBucketCors":       (*Service).putBucketCors,
	"DeleteBucketCors":    (*Service).deleteBucketCors,
	"GetBucketVersioning": (*Service).getBucketVersioning,
	"PutBucketVersioning": (*Service).putBucketVersioning,

	"GetBucketAcl":                  (*Service).getBucketACL,
	"PutBucketAcl":                  (*Service).putBucketACL,
	"GetObjectAcl":                  (*Service).getObjectACL,
	"GetObjectAttributes":           (*Service).getObjectAttributes,
	"PutObjectAcl":                  (*Service).putObjectACL,
	"GetBucketOwnershipControls":    (*Service).getBucketOwnershipControls,
	"PutBucketOwnershipControls":    (*Service).putBucketOwnershipControls,
	"DeleteBucketOwnershipControls": (*Service).deleteBucketOwnershipControls,
}

// operation is an S3 operation as a method expression of Service.
type operation = func(*Service, *request) *apiError

// subresourceHandler returns the handler of a sub-resource operation, or
// NotImplemented naming it.
func (s *Service) subresourceHandler(rq *request, op string) (handlerFunc, *apiError) {
	rq.op = op
	h, ok := subresourceHandlers[op]
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

package s3

import (
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// localstackVirtualHost matches LocalStack's virtual-host style endpoint,
// <bucket>.s3[.<region>].localhost.localstack.cloud. The bucket group is
// greedy so bucket names containing dots keep them.
var localstackVirtualHost = regexp.MustCompile(`^(.+)\.s3(?:\.[a-z0-9-]+)?\.localhost\.localstack\.cloud$`)

// bucketFromHost returns the bucket named by a virtual-host style Host
// header. Any other host (localhost, 127.0.0.1,
// s3.localhost.localstack.cloud, a container name...) means path style.
func bucketFromHost(host string) (string, bool) {
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".") // fully-qualified form
	if m := localstackVirtualHost.FindStringSubmatch(host); m != nil {
		return m[1], true
	}
	if b, ok := strings.CutSuffix(host, ".localhost"); ok && b != "" {
		return b, true
	}
	return "", false
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
// than being mistaken for a plain GetObject/PutObject (e.g. CopyObject is a
// PUT with x-amz-copy-source: treating it as PutObject would silently store
// an empty object).
func (s *Service) route(rq *request) (handlerFunc, *apiError) {
	bucket, key, aerr := parseAddress(rq.r)
	if aerr != nil {
		rq.op = "Unknown"
		return nil, aerr
	}
	rq.bucket, rq.key = bucket, key
	q := rq.r.URL.Query()
	method := rq.r.Method

	if method == http.MethodOptions {
		rq.op = "OPTIONS (CORS preflight)"
		return nil, errNotImplemented(rq.op)
	}

	switch {
	case bucket == "":
		if method == http.MethodGet {
			rq.op = "ListBuckets"
			return s.listBuckets, nil
		}
		rq.op = "Unknown"
		return nil, errMethodNotAllowed(method, "SERVICE", http.MethodGet)

	case key == "":
		if op, ok := unsupportedBucketOp(method, q); ok {
			rq.op = op
			return nil, errNotImplemented(op)
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
			return nil, errNotImplemented(rq.op)
		}
		rq.op = "Unknown"
		return nil, errMethodNotAllowed(method, "BUCKET", "GET, PUT, HEAD, DELETE")

	default:
		if op, ok := unsupportedObjectOp(method, q, rq.r.Header); ok {
			rq.op = op
			return nil, errNotImplemented(op)
		}
		switch method {
		case http.MethodPut:
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
		rq.op = "Unknown"
		return nil, errMethodNotAllowed(method, "OBJECT", "GET, PUT, HEAD, DELETE")
	}
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

// unsupportedBucketOp names the bucket operation selected by a sub-resource
// the emulator does not implement.
func unsupportedBucketOp(method string, q url.Values) (string, bool) {
	switch {
	case q.Has("uploads"):
		return "ListMultipartUploads", true
	case q.Has("versions"):
		return "ListObjectVersions", true
	case q.Has("delete") && method == http.MethodPost:
		return "DeleteObjects", true
	case q.Has("session"):
		return "CreateSession", true
	}
	return subresourceOp(method, q, bucketSubresources)
}

// unsupportedObjectOp names the object operation selected by a sub-resource
// or header the emulator does not implement.
func unsupportedObjectOp(method string, q url.Values, h http.Header) (string, bool) {
	copySource := h.Get("X-Amz-Copy-Source") != ""
	switch {
	case q.Has("uploadId"):
		switch method {
		case http.MethodPut:
			if copySource {
				return "UploadPartCopy", true
			}
			return "UploadPart", true
		case http.MethodPost:
			return "CompleteMultipartUpload", true
		case http.MethodDelete:
			return "AbortMultipartUpload", true
		}
		return "ListParts", true
	case q.Has("uploads"):
		return "CreateMultipartUpload", true
	case q.Has("restore"):
		return "RestoreObject", true
	case q.Has("select"):
		return "SelectObjectContent", true
	case q.Has("partNumber") && method != http.MethodGet && method != http.MethodHead:
		return verb(method) + "Object (partNumber)", true
	case method == http.MethodPut && copySource:
		return "CopyObject", true
	case method == http.MethodPost:
		return "POST on an object", true
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

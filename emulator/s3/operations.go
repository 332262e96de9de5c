package s3

import (
	"net/http"
	"net/url"
)

// operation is an S3 operation as a method expression of Service.
type operation = func(*Service, *request) *apiError

// A route selects an operation by the request's method (any when empty),
// a sub-resource query parameter that must be present ("name=value": with
// that value) and whether x-amz-copy-source is sent. A route without a
// handler is the resource refusing the method: 405 MethodNotAllowed with
// Allow. A route with subresources hands over to the sub-resources the
// emulator recognises by name: subresourceOperations, or NotImplemented.
type route struct {
	method       string
	param        string
	copySource   bool
	op           string
	handle       operation
	resourceType string // for 405: SERVICE, BUCKET, OBJECT, MULTIPART_UPLOAD
	allow        string // for 405
	subresources func(method string, q url.Values) (op string, ok bool)
}

// The operations on the service, a bucket and an object, in the order
// dispatch tries them. emulator/s3/README.md lists the same operations
// with their files (TestREADMEListsEveryOperation).
var (
	serviceRoutes = []route{
		{method: http.MethodGet, op: "ListBuckets", handle: (*Service).listBuckets},
		{op: "Unknown", resourceType: "SERVICE", allow: http.MethodGet},
	}
	bucketRoutes = []route{
		{method: http.MethodOptions, op: preflightOp, handle: (*Service).preflight},
		{method: http.MethodPost, param: "delete", op: "DeleteObjects", handle: (*Service).deleteObjects},
		{method: http.MethodGet, param: "uploads", op: "ListMultipartUploads", handle: (*Service).listMultipartUploads},
		{method: http.MethodGet, param: "versions", op: "ListObjectVersions", handle: (*Service).listObjectVersions},
		{param: "versions", op: "ListObjectVersions", resourceType: "BUCKET", allow: http.MethodGet},
		{subresources: bucketSubresourceOp},
		{method: http.MethodGet, param: "location", op: "GetBucketLocation", handle: (*Service).getBucketLocation},
		{method: http.MethodGet, param: "list-type=2", op: "ListObjectsV2", handle: (*Service).listObjectsV2},
		{method: http.MethodGet, op: "ListObjects", handle: (*Service).listObjectsV1},
		{method: http.MethodPut, op: "CreateBucket", handle: (*Service).createBucket},
		{method: http.MethodHead, op: "HeadBucket", handle: (*Service).headBucket},
		{method: http.MethodDelete, op: "DeleteBucket", handle: (*Service).deleteBucket},
		// A POST to the bucket without sub-resource is a browser form upload.
		{method: http.MethodPost, op: "PostObject", handle: (*Service).postObject},
		{op: "Unknown", resourceType: "BUCKET", allow: "GET, PUT, HEAD, DELETE, POST"},
	}
	objectRoutes = []route{
		{method: http.MethodOptions, op: preflightOp, handle: (*Service).preflight},
		{method: http.MethodPut, param: "uploadId", copySource: true, op: "UploadPartCopy", handle: (*Service).uploadPartCopy},
		{method: http.MethodPut, param: "uploadId", op: "UploadPart", handle: (*Service).uploadPart},
		{method: http.MethodPost, param: "uploadId", op: "CompleteMultipartUpload", handle: (*Service).completeMultipartUpload},
		{method: http.MethodDelete, param: "uploadId", op: "AbortMultipartUpload", handle: (*Service).abortMultipartUpload},
		{method: http.MethodGet, param: "uploadId", op: "ListParts", handle: (*Service).listParts},
		{param: "uploadId", op: "Unknown", resourceType: "MULTIPART_UPLOAD", allow: "GET, PUT, POST, DELETE"},
		{method: http.MethodPost, param: "uploads", op: "CreateMultipartUpload", handle: (*Service).createMultipartUpload},
		{subresources: objectSubresourceOp},
		{method: http.MethodPut, copySource: true, op: "CopyObject", handle: (*Service).copyObject},
		{method: http.MethodPut, op: "PutObject", handle: (*Service).putObject},
		{method: http.MethodGet, op: "GetObject", handle: (*Service).getObject},
		{method: http.MethodHead, op: "HeadObject", handle: (*Service).headObject},
		{method: http.MethodDelete, op: "DeleteObject", handle: (*Service).deleteObject},
		// POST on an object is only meaningful with ?uploads, ?uploadId,
		// ?restore or ?select.
		{op: "Unknown", resourceType: "OBJECT", allow: "GET, PUT, HEAD, DELETE"},
	}
)

// preflightOp names a CORS preflight, which is no S3 API operation.
const preflightOp = "OPTIONS (CORS preflight)"

// subresourceOperations are the implemented operations selected by a
// sub-resource (see bucketSubresources and objectSubresources); every other
// one is NotImplemented.
var subresourceOperations = map[string]operation{
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

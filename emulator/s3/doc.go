// Package s3 is an in-memory, LocalStack-compatible emulation of the Amazon
// S3 REST API, served as an [http.Handler].
//
// It is one of the services of the local AWS emulator that answers on a
// single port (4566, like LocalStack); the top-level router forwards every
// request that is not for Lambda, API Gateway, the console or the
// emulator's own endpoints (health, reset) to [Service] unchanged. Both addressing styles are understood: path style
// (http://localhost:4566/bucket/key) and virtual-host style
// (http://bucket.s3.localhost.localstack.cloud:4566/key or
// http://bucket.localhost:4566/key).
//
// The emulator targets what the AWS SDKs actually send: SigV4 signatures are
// accepted without verification (LocalStack accepts any credentials), while
// payload integrity (Content-MD5, x-amz-content-sha256, x-amz-checksum-*,
// aws-chunked framing and trailers) is checked as S3 does, so that a client
// bug which real S3 would reject is rejected here too.
//
// Supported operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation, PutObject, GetObject, HeadObject, DeleteObject,
// DeleteObjects, CopyObject, ListObjectsV2, ListObjects (v1), and multipart
// upload (CreateMultipartUpload, UploadPart, ListParts,
// CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads),
// object and bucket tagging, bucket CORS with OPTIONS preflight,
// versioning (Get/PutBucketVersioning, ListObjectVersions, version ids and
// delete markers), ACLs (stored, not enforced) and ownership controls,
// UploadPartCopy, GetObjectAttributes and browser form uploads (POST
// Object with a policy).
// Presigned URLs (SigV4 and legacy SigV2 query authentication) work for
// every operation, with their expiry enforced. Every other S3 operation is
// answered with 501 NotImplemented naming the operation. operations.go is
// the routing table (method, address and sub-resource → operation and
// handler); README.md in this directory lists every operation with its
// file, and what is not supported.
//
// Object bodies are held once: an upload is received straight into
// segments of at most 16 MiB while MD5 and checksums are computed, GET
// writes from those segments without copying, and CopyObject and
// CompleteMultipartUpload share segments instead of duplicating bytes.
package s3

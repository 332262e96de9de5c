package s3

import (
	"fmt"
	"net/http"
	"strconv"
)

// ErrorCode is the value of the <Code> element of an S3 error response. The
// AWS SDKs dispatch on it (for example NoSuchKey becomes *types.NoSuchKey), so
// the spelling must match AWS exactly.
type ErrorCode string

// Error codes returned by the emulator, with the HTTP status AWS uses for
// each (see [ErrorCode.HTTPStatus]).
const (
	// ErrAccessControlListNotSupported (400): an ACL for a bucket whose
	// Object Ownership is BucketOwnerEnforced.
	ErrAccessControlListNotSupported ErrorCode = "AccessControlListNotSupported"
	// ErrAccessDenied (403): an expired presigned URL, an ACL naming
	// another owner.
	ErrAccessDenied ErrorCode = "AccessDenied"
	// ErrAuthorizationQueryParametersError (400): a presigned URL whose
	// X-Amz-* query parameters are malformed.
	ErrAuthorizationQueryParametersError ErrorCode = "AuthorizationQueryParametersError"
	// ErrBadRequest (400): a CORS preflight without Origin or
	// Access-Control-Request-Method.
	ErrBadRequest ErrorCode = "BadRequest"
	// ErrCORSResponse (403): a CORS preflight that the bucket's CORS
	// configuration does not allow (or the bucket has none).
	ErrCORSResponse ErrorCode = "CORSResponse"
	// ErrBadDigest (400): Content-MD5 or an x-amz-checksum-* value does not
	// match the received payload.
	ErrBadDigest ErrorCode = "BadDigest"
	// ErrBucketAlreadyOwnedByYou (409): CreateBucket on a bucket that exists
	// outside us-east-1 (there a repeat is answered 200).
	// The emulator has a single account, so it never answers
	// BucketAlreadyExists.
	ErrBucketAlreadyOwnedByYou ErrorCode = "BucketAlreadyOwnedByYou"
	// ErrBucketNotEmpty (409): DeleteBucket on a bucket that still has objects.
	ErrBucketNotEmpty ErrorCode = "BucketNotEmpty"
	// ErrEntityTooLarge (400): the upload exceeds the 5 GiB single-PUT (or
	// single-part) limit.
	ErrEntityTooLarge ErrorCode = "EntityTooLarge"
	// ErrEntityTooSmall (400): CompleteMultipartUpload with a part other
	// than the last smaller than 5 MiB.
	ErrEntityTooSmall ErrorCode = "EntityTooSmall"
	// ErrIllegalLocationConstraint (400): CreateBucket whose location
	// constraint disagrees with the region the request was signed for.
	ErrIllegalLocationConstraint ErrorCode = "IllegalLocationConstraintException"
	// ErrIncompleteBody (400): the body is shorter than announced, or its
	// aws-chunked framing is broken.
	ErrIncompleteBody ErrorCode = "IncompleteBody"
	// ErrInternalError (500): a bug in the emulator.
	ErrInternalError ErrorCode = "InternalError"
	// ErrInvalidArgument (400): a malformed request parameter.
	ErrInvalidArgument ErrorCode = "InvalidArgument"
	// ErrInvalidBucketName (400): the bucket name breaks the AWS naming rules.
	ErrInvalidBucketName ErrorCode = "InvalidBucketName"
	// ErrInvalidBucketAclWithObjectOwnership (400): BucketOwnerEnforced
	// together with an ACL that grants more than the owner's.
	ErrInvalidBucketAclWithObjectOwnership ErrorCode = "InvalidBucketAclWithObjectOwnership"
	// ErrInvalidDigest (400): Content-MD5 is not a base64 MD5.
	ErrInvalidDigest ErrorCode = "InvalidDigest"
	// ErrInvalidLocationConstraint (400): an explicit "us-east-1" constraint,
	// which S3 rejects (us-east-1 is expressed by omitting the constraint).
	ErrInvalidLocationConstraint ErrorCode = "InvalidLocationConstraint"
	// ErrInvalidPart (400): CompleteMultipartUpload names a part that was
	// not uploaded, or with another ETag or checksum.
	ErrInvalidPart ErrorCode = "InvalidPart"
	// ErrInvalidPartOrder (400): CompleteMultipartUpload lists parts out of
	// ascending order.
	ErrInvalidPartOrder ErrorCode = "InvalidPartOrder"
	// ErrInvalidPartNumber (416): GetObject/HeadObject with a partNumber the
	// object does not have.
	ErrInvalidPartNumber ErrorCode = "InvalidPartNumber"
	// ErrInvalidPolicyDocument (400): a POST Object policy that is not
	// valid base64 JSON with expiration and conditions.
	ErrInvalidPolicyDocument ErrorCode = "InvalidPolicyDocument"
	// ErrInvalidRange (416): the Range header cannot be satisfied.
	ErrInvalidRange ErrorCode = "InvalidRange"
	// ErrInvalidRequest (400): an inconsistent request, e.g. checksum headers
	// that contradict each other.
	ErrInvalidRequest ErrorCode = "InvalidRequest"
	// ErrInvalidTag (400): a tag set breaks S3's tag restrictions (count,
	// lengths, characters, duplicate keys, the reserved aws: prefix).
	ErrInvalidTag ErrorCode = "InvalidTag"
	// ErrInvalidURI (400): the request path cannot be decoded.
	ErrInvalidURI ErrorCode = "InvalidURI"
	// ErrKeyTooLong (400): the object key is longer than 1024 bytes.
	ErrKeyTooLong ErrorCode = "KeyTooLongError"
	// ErrMalformedACL (400): an ACL document or grant that is not valid.
	ErrMalformedACL ErrorCode = "MalformedACLError"
	// ErrMalformedPOSTRequest (400): a POST Object body that is not
	// multipart/form-data.
	ErrMalformedPOSTRequest ErrorCode = "MalformedPOSTRequest"
	// ErrMaxPostPreDataLengthExceeded (400): POST Object fields before the
	// file exceed 20 KB.
	ErrMaxPostPreDataLengthExceeded ErrorCode = "MaxPostPreDataLengthExceededError"
	// ErrMalformedTrailer (400): the aws-chunked trailer section is missing
	// or not well formed.
	ErrMalformedTrailer ErrorCode = "MalformedTrailerError"
	// ErrMalformedXML (400): the request body is not the expected XML.
	ErrMalformedXML ErrorCode = "MalformedXML"
	// ErrMetadataTooLarge (400): user metadata exceeds 2 KB.
	ErrMetadataTooLarge ErrorCode = "MetadataTooLarge"
	// ErrMissingSecurityHeader (400): PutBucketAcl/PutObjectAcl with
	// neither ACL headers nor a body.
	ErrMissingSecurityHeader ErrorCode = "MissingSecurityHeader"
	// ErrMethodNotAllowed (405): the HTTP method makes no sense for the
	// addressed resource.
	ErrMethodNotAllowed ErrorCode = "MethodNotAllowed"
	// ErrNoSuchBucket (404): the bucket does not exist.
	ErrNoSuchBucket ErrorCode = "NoSuchBucket"
	// ErrNoSuchKey (404): the object does not exist.
	ErrNoSuchKey ErrorCode = "NoSuchKey"
	// ErrNoSuchCORSConfiguration (404): GetBucketCors on a bucket without
	// a CORS configuration.
	ErrNoSuchCORSConfiguration ErrorCode = "NoSuchCORSConfiguration"
	// ErrNoSuchTagSet (404): GetBucketTagging on a bucket without tags.
	ErrNoSuchTagSet ErrorCode = "NoSuchTagSet"
	// ErrOwnershipControlsNotFound (404): GetBucketOwnershipControls on a
	// bucket without them.
	ErrOwnershipControlsNotFound ErrorCode = "OwnershipControlsNotFoundError"
	// ErrNoSuchUpload (404): the multipart upload does not exist (never
	// created, completed or aborted).
	ErrNoSuchUpload ErrorCode = "NoSuchUpload"
	// ErrNoSuchVersion (404): a version id that names no version of the
	// key.
	ErrNoSuchVersion ErrorCode = "NoSuchVersion"
	// ErrNotImplemented (501): a valid S3 operation the emulator does not
	// support; the message names the operation.
	ErrNotImplemented ErrorCode = "NotImplemented"
	// ErrPreconditionFailed (412): If-Match / If-Unmodified-Since (or a
	// conditional write) did not hold.
	ErrPreconditionFailed ErrorCode = "PreconditionFailed"
	// ErrUnexpectedContent (400): an ACL given both as headers and as a
	// body.
	ErrUnexpectedContent ErrorCode = "UnexpectedContent"
	// ErrXAmzContentSHA256Mismatch (400): the hex x-amz-content-sha256 header
	// does not match the payload.
	ErrXAmzContentSHA256Mismatch ErrorCode = "XAmzContentSHA256Mismatch"
)

// HTTPStatus returns the HTTP status code S3 uses for c (500 for codes the
// emulator does not know).
func (c ErrorCode) HTTPStatus() int {
	switch c {
	case ErrNoSuchBucket, ErrNoSuchKey, ErrNoSuchUpload, ErrNoSuchVersion, ErrNoSuchTagSet,
		ErrNoSuchCORSConfiguration, ErrOwnershipControlsNotFound:
		return http.StatusNotFound
	case ErrAccessDenied, ErrCORSResponse:
		return http.StatusForbidden
	case ErrBucketAlreadyOwnedByYou, ErrBucketNotEmpty:
		return http.StatusConflict
	case ErrInvalidRange, ErrInvalidPartNumber:
		return http.StatusRequestedRangeNotSatisfiable
	case ErrPreconditionFailed:
		return http.StatusPreconditionFailed
	case ErrMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case ErrNotImplemented:
		return http.StatusNotImplemented
	case ErrInternalError:
		return http.StatusInternalServerError
	case ErrAuthorizationQueryParametersError, ErrBadDigest, ErrBadRequest, ErrEntityTooLarge,
		ErrEntityTooSmall, ErrIllegalLocationConstraint, ErrInvalidPart, ErrInvalidPartOrder,
		ErrIncompleteBody, ErrInvalidArgument, ErrInvalidBucketName,
		ErrInvalidDigest, ErrInvalidLocationConstraint, ErrInvalidRequest, ErrInvalidTag,
		ErrInvalidURI, ErrKeyTooLong, ErrMalformedTrailer, ErrMalformedXML,
		ErrMetadataTooLarge, ErrXAmzContentSHA256Mismatch, ErrAccessControlListNotSupported,
		ErrInvalidBucketAclWithObjectOwnership, ErrMalformedACL, ErrMissingSecurityHeader, ErrUnexpectedContent,
		ErrInvalidPolicyDocument, ErrMalformedPOSTRequest, ErrMaxPostPreDataLengthExceeded:
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// defaultMessage is the message AWS sends for c when nothing more specific
// applies.
func (c ErrorCode) defaultMessage() string {
	switch c {
	case ErrNoSuchBucket:
		return "The specified bucket does not exist"
	case ErrNoSuchKey:
		return "The specified key does not exist."
	case ErrBucketAlreadyOwnedByYou:
		return "Your previous request to create the named bucket succeeded and you already own it."
	case ErrBucketNotEmpty:
		return "The bucket you tried to delete is not empty"
	case ErrInvalidBucketName:
		return "The specified bucket is not valid."
	case ErrInvalidRange:
		return "The requested range is not satisfiable"
	case ErrPreconditionFailed:
		return "At least one of the pre-conditions you specified did not hold"
	case ErrMethodNotAllowed:
		return "The specified method is not allowed against this resource."
	case ErrEntityTooLarge:
		return "Your proposed upload exceeds the maximum allowed size"
	case ErrIncompleteBody:
		return "You did not provide the number of bytes specified by the Content-Length HTTP header"
	case ErrInvalidDigest:
		return "The Content-MD5 you specified was invalid."
	case ErrKeyTooLong:
		return "Your key is too long"
	case ErrMalformedTrailer:
		return "The request contained trailing data that was not well-formed or did not conform to our published schema."
	case ErrMalformedXML:
		return "The XML you provided was not well-formed or did not validate against our published schema"
	case ErrMetadataTooLarge:
		return "Your metadata headers exceed the maximum allowed metadata size."
	case ErrXAmzContentSHA256Mismatch:
		return "The provided 'x-amz-content-sha256' header does not match what was computed."
	case ErrInvalidLocationConstraint:
		return "The specified location-constraint is not valid"
	case ErrAccessDenied:
		return "Access Denied"
	case ErrEntityTooSmall:
		return "Your proposed upload is smaller than the minimum allowed object size."
	case ErrInvalidPart:
		return "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
	case ErrInvalidPartOrder:
		return "The list of parts was not in ascending order. Parts must be ordered by part number."
	case ErrNoSuchUpload:
		return "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
	case ErrNoSuchVersion:
		return "The specified version does not exist."
	case ErrNoSuchTagSet:
		return "The TagSet does not exist"
	case ErrNoSuchCORSConfiguration:
		return "The CORS configuration does not exist"
	case ErrOwnershipControlsNotFound:
		return "The bucket ownership controls were not found"
	case ErrMalformedACL:
		return "The XML you provided was not well-formed or did not validate against our published schema"
	}
	return string(c)
}

// apiError is an S3 error about to be sent to the client. Handlers return it
// instead of writing the response themselves so that ServeHTTP renders every
// error identically (XML body, or a bare status for HEAD).
type apiError struct {
	code    ErrorCode
	message string
	// extra holds the code-specific elements AWS adds to <Error>
	// (BucketName, Key, Condition, RangeRequested, ...), in order.
	extra []errorField
	// header holds response headers that belong to this error only
	// (e.g. Allow for 405, Content-Range for 416).
	header http.Header
}

func (e *apiError) Error() string { return fmt.Sprintf("%s: %s", e.code, e.message) }

// newError returns an error with the code's default message.
func newError(code ErrorCode) *apiError {
	return &apiError{code: code, message: code.defaultMessage()}
}

// errorf returns an error with a specific message.
func errorf(code ErrorCode, format string, args ...any) *apiError {
	return &apiError{code: code, message: fmt.Sprintf(format, args...)}
}

// with appends a code-specific element to the error document.
func (e *apiError) with(name, value string) *apiError {
	e.extra = append(e.extra, errorField{XMLName: xmlName(name), Value: value})
	return e
}

// withHeader adds a response header sent along with the error.
func (e *apiError) withHeader(name, value string) *apiError {
	if e.header == nil {
		e.header = http.Header{}
	}
	e.header.Set(name, value)
	return e
}

func errNoSuchBucket(bucket string) *apiError {
	return newError(ErrNoSuchBucket).with("BucketName", bucket)
}

func errNoSuchKey(key string) *apiError {
	return newError(ErrNoSuchKey).with("Key", key)
}

func errPreconditionFailed(condition string) *apiError {
	return newError(ErrPreconditionFailed).with("Condition", condition)
}

func errNoSuchUpload(uploadID string) *apiError {
	return newError(ErrNoSuchUpload).with("UploadId", uploadID)
}

func errNotImplemented(op string) *apiError {
	return errorf(ErrNotImplemented,
		"The S3 operation %s is not implemented by this emulator (supported: %s)", op, supportedOperations)
}

// supportedOperations is listed in NotImplemented errors, so that a user
// hitting a gap sees what does work.
const supportedOperations = "ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, " +
	"PutObject, PostObject (browser form upload), GetObject, HeadObject, DeleteObject, DeleteObjects, CopyObject, ListObjects, ListObjectsV2, " +
	"CreateMultipartUpload, UploadPart, UploadPartCopy, ListParts, CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads, " +
	"Get/Put/DeleteObjectTagging, Get/Put/DeleteBucketTagging, Get/Put/DeleteBucketCors, OPTIONS (CORS preflight), " +
	"Get/PutBucketVersioning, ListObjectVersions, GetObjectAttributes, Get/PutBucketAcl, Get/PutObjectAcl, Get/Put/DeleteBucketOwnershipControls"

func errEntityTooLarge(proposed, limit int64) *apiError {
	return newError(ErrEntityTooLarge).
		with("ProposedSize", strconv.FormatInt(proposed, 10)).
		with("MaxSizeAllowed", strconv.FormatInt(limit, 10))
}

// writeError renders e for the request. HEAD responses carry no body, so, as
// S3 does, they get the bare status (the SDKs then synthesise NotFound etc.
// from the status code).
func (s *Service) writeError(rq *request, e *apiError) {
	h := rq.w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	status := e.code.HTTPStatus()
	if rq.r.Method == http.MethodHead {
		rq.w.WriteHeader(status)
		return
	}
	doc := errorResponse{
		Code:      string(e.code),
		Message:   e.message,
		Extra:     e.extra,
		Resource:  rq.resource(),
		RequestID: rq.requestID,
		HostID:    rq.hostID,
	}
	writeXML(rq.w, status, doc)
}

package s3

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Metadata directives of CopyObject (x-amz-metadata-directive).
const (
	directiveCopy    = "COPY"
	directiveReplace = "REPLACE"
)

// copyObjectResult answers CopyObject.
type copyObjectResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyObjectResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	ChecksumType string   `xml:"ChecksumType,omitempty"`
	checksumFields
}

// copyDirective reads the x-amz-<what>-directive header of a CopyObject
// (what is "metadata" or "tagging"): COPY (the default) or REPLACE.
func copyDirective(h http.Header, what string) (string, *apiError) {
	name := "x-amz-" + what + "-directive"
	switch d := strings.ToUpper(strings.TrimSpace(h.Get(name))); d {
	case "":
		return directiveCopy, nil
	case directiveCopy, directiveReplace:
		return d, nil
	default:
		return "", errorf(ErrInvalidArgument, "Unknown %s directive.", what).
			with("ArgumentName", name).with("ArgumentValue", d)
	}
}

// copyObject implements CopyObject. Objects are immutable, so the copy
// shares the source's segments: copying a 1 GiB object costs no memory.
func (s *Service) copyObject(rq *request) *apiError {
	h := rq.r.Header
	if aerr := checkKeyLength(rq.key); aerr != nil {
		return aerr
	}
	srcBucket, srcKey, srcQuery, aerr := parseCopySource(h.Get("X-Amz-Copy-Source"))
	if aerr != nil {
		return aerr
	}
	directive, aerr := copyDirective(h, "metadata")
	if aerr != nil {
		return aerr
	}
	wo, aerr := parseWriteOptions(h)
	if aerr != nil {
		return aerr
	}
	taggingDirective, aerr := copyDirective(h, "tagging")
	if aerr != nil {
		return aerr
	}
	var newAlg checksumAlgorithm
	if v := h.Get("X-Amz-Checksum-Algorithm"); v != "" {
		alg, ok := parseChecksumAlgorithm(v)
		if !ok {
			return errorf(ErrInvalidRequest, "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		newAlg = alg
	}

	// The destination bucket is checked first, as S3 does.
	if aerr := s.checkBucket(rq.bucket); aerr != nil {
		return aerr
	}
	src, aerr := s.lookupCopySource(srcBucket, srcKey, srcQuery)
	if aerr != nil {
		return aerr
	}
	if src.size > maxObjectSize {
		// Bigger objects need UploadPartCopy.
		return errorf(ErrInvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: %s", strconv.FormatInt(maxObjectSize, 10))
	}
	if aerr := copySourcePreconditions(h, src.etag, src.lastModified); aerr != nil {
		return aerr
	}
	if srcBucket == rq.bucket && srcKey == rq.key && directive == directiveCopy && newAlg == "" &&
		h.Get("X-Amz-Storage-Class") == "" && h.Get("X-Amz-Website-Redirect-Location") == "" &&
		h.Get("X-Amz-Server-Side-Encryption") == "" {
		return errorf(ErrInvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}

	header := src.header
	if directive == directiveReplace {
		if header, aerr = objectHeaders(h); aerr != nil {
			return aerr
		}
	}
	obj := &object{
		key:      rq.key,
		data:     src.data,
		size:     src.size,
		etag:     src.etag,
		checksum: src.checksum,
		parts:    src.parts,
		header:   header,
		tags:     src.tags,
		acl:      wo.acl, // a copy gets the request's ACL, not the source's
	}
	if taggingDirective == directiveReplace {
		obj.tags = wo.tags
	}
	if newAlg != "" && (newAlg != src.checksum.algorithm || src.checksum.typ != checksumFullObject) {
		obj.checksum = objectChecksum{algorithm: newAlg, value: newAlg.sumSegments(src.data), typ: checksumFullObject}
	}
	obj.setLastModified(s.now())

	if aerr := s.storeObject(rq.bucket, obj, wo, nil); aerr != nil {
		return aerr
	}
	setVersionHeader(rq.w.Header(), obj.versionID)
	setCopyHeaders(rq.w.Header(), src)
	writeXML(rq.w, http.StatusOK, copyObjectResult{
		ETag:           obj.etag,
		LastModified:   xmlTime(obj.lastModified),
		ChecksumType:   obj.checksum.typ,
		checksumFields: newChecksumFields(obj.checksum),
	})
	return nil
}

// setCopyHeaders sends the headers of CopyObject's and UploadPartCopy's
// answers: the source version read, when the source bucket is versioned,
// and the encryption every object reports.
func setCopyHeaders(h http.Header, src *object) {
	if src.versionID != "" {
		h.Set("X-Amz-Copy-Source-Version-Id", src.versionID)
	}
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
}

// parseCopySource splits x-amz-copy-source, "[/]bucket/key[?versionId=v]"
// with the key URL-encoded, returning the query (the version) separately.
func parseCopySource(v string) (bucket, key string, q url.Values, aerr *apiError) {
	raw, rawQuery, _ := strings.Cut(v, "?")
	bad := func(msg string) *apiError {
		return errorf(ErrInvalidArgument, "%s", msg).with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", v)
	}
	decoded, err := url.PathUnescape(strings.TrimPrefix(raw, "/"))
	if err != nil {
		return "", "", nil, bad("Invalid copy source encoding.")
	}
	bucket, key, ok := strings.Cut(decoded, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", nil, bad("Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	q = url.Values{}
	if rawQuery != "" {
		if q, err = url.ParseQuery(rawQuery); err != nil {
			return "", "", nil, bad("Invalid copy source encoding.")
		}
	}
	return bucket, key, q, nil
}

// lookupCopySource finds the version a copy reads: the current one, or the
// one named by the source's versionId, which must not be a delete marker.
func (s *Service) lookupCopySource(bucket, key string, q url.Values) (*object, *apiError) {
	src, _, aerr := s.lookupObjectVersion(bucket, key, q)
	if aerr != nil && aerr.code == ErrMethodNotAllowed {
		return nil, errorf(ErrInvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.")
	}
	return src, aerr
}

// copySourcePreconditions applies the x-amz-copy-source-if-* headers. They
// follow the GET rules, except that every failure is 412 (a copy has no
// 304).
func copySourcePreconditions(h http.Header, etag string, lastModified time.Time) *apiError {
	const prefix = "X-Amz-Copy-Source-"
	if v := h.Get(prefix + "If-Match"); v != "" {
		if !etagListMatches(v, etag) {
			return errPreconditionFailed("x-amz-copy-source-If-Match")
		}
	} else if v := h.Get(prefix + "If-Unmodified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && lastModified.After(t) {
			return errPreconditionFailed("x-amz-copy-source-If-Unmodified-Since")
		}
	}
	if v := h.Get(prefix + "If-None-Match"); v != "" {
		if etagListMatches(v, etag) {
			return errPreconditionFailed("x-amz-copy-source-If-None-Match")
		}
	} else if v := h.Get(prefix + "If-Modified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && !lastModified.After(t) {
			return errPreconditionFailed("x-amz-copy-source-If-Modified-Since")
		}
	}
	return nil
}

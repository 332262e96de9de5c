package s3

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const (
	// maxKeyLength is S3's limit on the UTF-8 length of a key.
	maxKeyLength = 1024
	// maxUserMetadataSize is S3's limit on the summed length of user
	// metadata names and values.
	maxUserMetadataSize = 2048
	// metaHeaderPrefix starts every stored user-metadata header, in the
	// lower case S3 sends.
	metaHeaderPrefix = "x-amz-meta-"
	// defaultContentType is what S3 reports for objects uploaded without a
	// Content-Type.
	defaultContentType = "binary/octet-stream"
)

// storedHeaders are the request headers PutObject keeps and GET/HEAD replay.
// Content-Encoding is handled separately because aws-chunked must be removed
// from it.
var storedHeaders = []string{
	"Cache-Control",
	"Content-Disposition",
	"Content-Language",
	"Content-Type",
	"Expires",
	"X-Amz-Website-Redirect-Location",
}

// responseOverrides maps the GetObject/HeadObject query parameters used by
// presigned URLs to the header each one replaces.
var responseOverrides = map[string]string{
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
	"response-content-language":    "Content-Language",
	"response-content-type":        "Content-Type",
	"response-expires":             "Expires",
}

// putObject implements PutObject, including S3's conditional writes
// (If-None-Match: * and If-Match).
func (s *Service) putObject(rq *request) *apiError {
	if aerr := checkKeyLength(rq.key); aerr != nil {
		return aerr
	}
	if inm := rq.r.Header.Get("If-None-Match"); inm != "" && strings.TrimSpace(inm) != "*" {
		return errorf(ErrNotImplemented, "A header you provided implies functionality that is not implemented: PutObject supports only If-None-Match: *").
			with("Header", "If-None-Match")
	}
	header, aerr := objectHeaders(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	wo, aerr := parseWriteOptions(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	if aerr := s.checkBucket(rq.bucket); aerr != nil {
		return aerr
	}

	up, aerr := receivePayload(rq.r, objectRules)
	if aerr != nil {
		return aerr
	}
	obj := &object{
		key:      rq.key,
		data:     up.data,
		size:     up.size,
		etag:     `"` + hex.EncodeToString(up.md5[:]) + `"`,
		checksum: up.checksum,
		header:   header,
		tags:     wo.tags,
		acl:      wo.acl,
	}
	obj.setLastModified(s.now())
	if aerr := s.storeObject(rq.bucket, obj, wo, func(b *bucket) *apiError {
		return checkWritePreconditions(rq.r.Header, rq.key, b.objects[rq.key])
	}); aerr != nil {
		return aerr
	}

	h := rq.w.Header()
	setVersionHeader(h, obj.versionID)
	h.Set("ETag", obj.etag)
	setChecksumHeaders(h, obj.checksum)
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// setChecksumHeaders sends a stored checksum, if there is one.
func setChecksumHeaders(h http.Header, ck objectChecksum) {
	if ck.algorithm == "" {
		return
	}
	h.Set(ck.algorithm.header(), ck.value)
	h.Set("X-Amz-Checksum-Type", ck.typ)
}

// checkKeyLength enforces S3's 1024-byte key limit on writes.
func checkKeyLength(key string) *apiError {
	if len(key) > maxKeyLength {
		return newError(ErrKeyTooLong).
			with("MaxSizeAllowed", strconv.Itoa(maxKeyLength)).
			with("Size", strconv.Itoa(len(key)))
	}
	return nil
}

// checkWritePreconditions implements conditional PutObject: If-None-Match: *
// fails when the key exists, If-Match fails when it is missing (404) or has
// another ETag (412).
func checkWritePreconditions(h http.Header, key string, existing *object) *apiError {
	if h.Get("If-None-Match") != "" && existing != nil {
		return errPreconditionFailed("If-None-Match")
	}
	if v := h.Get("If-Match"); v != "" {
		if existing == nil {
			return errNoSuchKey(key)
		}
		if !etagListMatches(v, existing.etag) {
			return errPreconditionFailed("If-Match")
		}
	}
	return nil
}

// objectHeaders extracts the headers stored with an object: the standard
// representation headers and x-amz-meta-* user metadata.
func objectHeaders(req http.Header) (http.Header, *apiError) {
	out := http.Header{}
	for _, name := range storedHeaders {
		if v := req.Get(name); v != "" {
			out.Set(name, v)
		}
	}
	if out.Get("Content-Type") == "" {
		out.Set("Content-Type", defaultContentType)
	}
	if enc := storedContentEncoding(req); enc != "" {
		out.Set("Content-Encoding", enc)
	}
	metaSize := 0
	for name, values := range req {
		suffix, ok := strings.CutPrefix(name, "X-Amz-Meta-")
		if !ok {
			continue
		}
		// Multiple headers with the same name are combined, as S3 does.
		v := strings.Join(values, ",")
		metaSize += len(suffix) + len(v)
		// S3 stores metadata names in lower case and sends them back so;
		// the direct map assignment keeps the key out of Go's canonical
		// form (X-Amz-Meta-Meta1), which clients that keep header case
		// (botocore, the JS SDK) would report as "Meta1".
		out[metaHeaderPrefix+strings.ToLower(suffix)] = []string{v}
	}
	if metaSize > maxUserMetadataSize {
		return nil, newError(ErrMetadataTooLarge).with("MaxSizeAllowed", strconv.Itoa(maxUserMetadataSize)).with("Size", strconv.Itoa(metaSize))
	}
	return out, nil
}

// getObject implements GetObject.
func (s *Service) getObject(rq *request) *apiError { return s.serveObject(rq, true) }

// headObject implements HeadObject: GetObject's headers without the body
// (errors are sent as a bare status by writeError).
func (s *Service) headObject(rq *request) *apiError { return s.serveObject(rq, false) }

func (s *Service) serveObject(rq *request, withBody bool) *apiError {
	q := rq.query
	obj, version, aerr := s.lookupObjectVersion(rq.bucket, rq.key, q)
	if aerr != nil {
		return aerr
	}

	h := rq.w.Header()
	setVersionHeader(h, version)
	switch status, condition := evaluatePreconditions(rq.r.Header, obj.etag, obj.lastModified); status {
	case http.StatusNotModified:
		h.Set("ETag", obj.etag)
		h.Set("Last-Modified", obj.lastModifiedHTTP)
		rq.w.WriteHeader(http.StatusNotModified)
		return nil
	case http.StatusPreconditionFailed:
		return errPreconditionFailed(condition)
	}

	var (
		rng      byteRange
		partial  bool
		checksum = obj.checksum
	)
	rangeHeader := rq.r.Header.Get("Range")
	byPart := q.Has("partNumber")
	if byPart {
		rng, partial, checksum, aerr = obj.partRange(q.Get("partNumber"), rangeHeader)
	} else if rangeHeader != "" {
		rng, partial, aerr = parseRange(rangeHeader, obj.size)
		if partial {
			// The full-object checksum does not describe a range, so S3
			// omits it (the SDKs would otherwise fail validating).
			checksum = objectChecksum{}
		}
	}
	if aerr != nil {
		return aerr
	}
	if !partial {
		rng = byteRange{start: 0, end: obj.size - 1}
	}

	for name, values := range obj.header {
		h[name] = values
	}
	if len(q) > 0 {
		for param, header := range responseOverrides {
			if v := q.Get(param); v != "" {
				h.Set(header, v)
			}
		}
	}
	h.Set("ETag", obj.etag)
	h.Set("Last-Modified", obj.lastModifiedHTTP)
	h.Set("Accept-Ranges", "bytes")
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	if withBody {
		setTagCount(h, obj)
	}
	if byPart && obj.parts != nil {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(len(obj.parts)))
	}
	if strings.EqualFold(rq.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		setChecksumHeaders(h, checksum)
	}
	h.Set("Content-Length", strconv.FormatInt(rng.length(), 10))
	status := http.StatusOK
	if partial {
		h.Set("Content-Range", contentRange(rng, obj.size))
		status = http.StatusPartialContent
	}
	rq.w.WriteHeader(status)
	if !withBody {
		return nil
	}
	s.getObjectCount.Add(1)
	// The object is immutable (see object), so writing after the lock is
	// released is safe; a failed write means the client went away.
	_ = obj.data.writeRange(rq.w, rng.start, rng.end)
	return nil
}

// contentRange formats a Content-Range header value.
func contentRange(rng byteRange, size int64) string {
	b := make([]byte, 0, 64)
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, rng.start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, rng.end, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, size, 10)
	return string(b)
}

// lookupObjectVersion returns the version a request addresses (see
// bucket.lookupVersion) and the version id to report for it.
func (s *Service) lookupObjectVersion(bucket, key string, q url.Values) (*object, string, *apiError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, aerr := s.lookupBucket(bucket)
	if aerr != nil {
		return nil, "", aerr
	}
	obj, aerr := b.lookupVersion(key, q)
	if aerr != nil {
		return nil, "", aerr
	}
	return obj, b.reportedVersion(obj), nil
}

// deleteObject implements DeleteObject, which S3 answers 204 whether or not
// the key (or version) existed. Without a version id, a bucket with
// versioning configured gets a delete marker; with one, that version is
// removed for good.
func (s *Service) deleteObject(rq *request) *apiError {
	versionID, byID := rq.query["versionId"]
	if byID {
		if aerr := checkVersionID(versionID[0]); aerr != nil {
			return aerr
		}
	}
	var outcome deletion
	s.mu.Lock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr == nil {
		if byID {
			outcome = b.removeVersion(rq.key, versionID[0])
		} else {
			outcome = b.removeCurrent(rq.key, s.now())
		}
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	h := rq.w.Header()
	if outcome.versionID != "" {
		h.Set("X-Amz-Version-Id", outcome.versionID)
	}
	if outcome.deleteMarker {
		h.Set("X-Amz-Delete-Marker", "true")
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

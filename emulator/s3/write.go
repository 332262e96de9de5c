package s3

import "net/http"

// writeOptions are what a request that creates an object says about it
// besides its body and headers: tags (x-amz-tagging) and ACL (x-amz-acl,
// x-amz-grant-*).
type writeOptions struct {
	tags   []tag
	acl    []grant
	hasACL bool
}

// parseWriteOptions reads the tagging and ACL headers of PutObject,
// CopyObject and CreateMultipartUpload.
func parseWriteOptions(h http.Header) (writeOptions, *apiError) {
	var wo writeOptions
	var aerr *apiError
	if wo.tags, aerr = parseTaggingHeader(h); aerr != nil {
		return wo, aerr
	}
	wo.acl, wo.hasACL, aerr = aclFromHeaders(h)
	return wo, aerr
}

// allowedIn checks the options against the bucket (Object Ownership).
// Callers hold s.mu.
func (wo writeOptions) allowedIn(b *bucket) *apiError {
	if !wo.hasACL {
		return nil
	}
	return aclAllowed(b, wo.acl)
}

// checkBucket fails fast on a missing bucket, before a possibly large body
// is read.
func (s *Service) checkBucket(name string) *apiError {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, aerr := s.lookupBucket(name)
	return aerr
}

// storeObject makes obj the newest version of its key once the bucket
// (which may have been deleted meanwhile), the write options and check
// (conditional writes; nil for none) allow it.
func (s *Service) storeObject(bucketName string, obj *object, wo writeOptions, check func(*bucket) *apiError) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.lookupBucket(bucketName)
	if aerr == nil {
		aerr = wo.allowedIn(b)
	}
	if aerr == nil && check != nil {
		aerr = check(b)
	}
	if aerr != nil {
		return aerr
	}
	b.pushVersion(obj)
	return nil
}

// updateVersion replaces the version a request addresses by a copy that
// change modified (new tags, a new ACL), once allowed (nil for always)
// accepts it. Stored objects are immutable (see object), so the bytes are
// shared, not copied. It returns the version id to report.
func (s *Service) updateVersion(rq *request, allowed func(*bucket) *apiError, change func(*object)) (string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr != nil {
		return "", aerr
	}
	obj, aerr := b.lookupVersion(rq.key, rq.query)
	if aerr == nil && allowed != nil {
		aerr = allowed(b)
	}
	if aerr != nil {
		return "", aerr
	}
	updated := *obj
	change(&updated)
	b.replaceVersion(obj, &updated)
	return b.reportedVersion(obj), nil
}

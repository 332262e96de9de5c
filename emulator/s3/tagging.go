package s3

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// S3's tag limits (Tag restrictions in the S3 user guide).
const (
	maxObjectTags  = 10
	maxBucketTags  = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
	// maxTaggingBody bounds a tagging or similar small configuration
	// document.
	maxTaggingBody = 64 << 10
)

// tag is one key/value pair of an object's or bucket's tag set.
type tag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

// taggingDoc is the Tagging document, both as request and as answer.
// Unmarshal ignores the namespace, so clients that omit xmlns still parse.
type taggingDoc struct {
	XMLName xml.Name `xml:"Tagging"`
	TagSet  *tagSet  `xml:"TagSet"`
}

type tagSet struct {
	Tags []tag `xml:"Tag"`
}

// taggingResult answers GetObjectTagging and GetBucketTagging.
type taggingResult struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ Tagging"`
	TagSet  tagSet   `xml:"TagSet"`
}

// tagKeyValueOK reports whether s uses only the characters S3 allows in
// tags: letters, digits and spaces representable in UTF-8, and + - = . _ : / @.
func tagCharsOK(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune("+-=._:/@", r) {
			continue
		}
		return false
	}
	return true
}

// validateTags applies S3's tag restrictions with the given count limit.
func validateTags(tags []tag, limit int, what string) *apiError {
	if len(tags) > limit {
		return errorf(ErrInvalidTag, "%s tags cannot be greater than %d", what, limit)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case utf8.RuneCountInString(t.Key) > maxTagKeyLen:
			return errorf(ErrInvalidTag, "The TagKey you have provided is too long, max %d", maxTagKeyLen).with("TagKey", t.Key)
		case utf8.RuneCountInString(t.Value) > maxTagValueLen:
			return errorf(ErrInvalidTag, "The TagValue you have provided is too long, max %d", maxTagValueLen).with("TagKey", t.Key).with("TagValue", t.Value)
		case t.Key == "" || !tagCharsOK(t.Key):
			return errorf(ErrInvalidTag, "The TagKey you have provided is invalid").with("TagKey", t.Key)
		case !tagCharsOK(t.Value):
			return errorf(ErrInvalidTag, "The TagValue you have provided is invalid").with("TagKey", t.Key).with("TagValue", t.Value)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return errorf(ErrInvalidTag, "Your TagKey cannot be prefixed with aws:").with("TagKey", t.Key)
		case seen[t.Key]:
			return errorf(ErrInvalidTag, "Cannot provide multiple Tags with the same key").with("TagKey", t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

// readTagging parses and validates a Tagging request body.
func readTagging(r *http.Request, limit int, what string) ([]tag, *apiError) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxTaggingBody+1))
	if err != nil {
		return nil, newError(ErrIncompleteBody)
	}
	var doc taggingDoc
	if len(raw) > maxTaggingBody || xml.Unmarshal(raw, &doc) != nil || doc.TagSet == nil {
		return nil, newError(ErrMalformedXML)
	}
	tags := doc.TagSet.Tags
	if aerr := validateTags(tags, limit, what); aerr != nil {
		return nil, aerr
	}
	return tags, nil
}

// parseTaggingHeader reads x-amz-tagging ("k1=v1&k2=v2", URL-encoded), as
// sent with PutObject, CreateMultipartUpload and CopyObject.
func parseTaggingHeader(h http.Header) ([]tag, *apiError) {
	v, ok := headerValue(h, "X-Amz-Tagging")
	if !ok || v == "" {
		return nil, nil
	}
	bad := errorf(ErrInvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URL encoded URL query parameters without tag name duplicates.").
		with("ArgumentName", "x-amz-tagging").with("ArgumentValue", v)
	var tags []tag
	seen := map[string]bool{}
	for _, pair := range strings.Split(v, "&") {
		if pair == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(rawKey)
		value, err2 := url.QueryUnescape(rawValue)
		if err1 != nil || err2 != nil || seen[key] {
			return nil, bad
		}
		seen[key] = true
		tags = append(tags, tag{Key: key, Value: value})
	}
	if aerr := validateTags(tags, maxObjectTags, "Object"); aerr != nil {
		return nil, aerr
	}
	return tags, nil
}

// putObjectTagging implements PutObjectTagging: it replaces the tag set of
// the current version (or of ?versionId).
func (s *Service) putObjectTagging(rq *request) *apiError {
	tags, aerr := readTagging(rq.r, maxObjectTags, "Object")
	if aerr != nil {
		return aerr
	}
	return s.setObjectTags(rq, tags, http.StatusOK)
}

// deleteObjectTagging implements DeleteObjectTagging (204).
func (s *Service) deleteObjectTagging(rq *request) *apiError {
	return s.setObjectTags(rq, nil, http.StatusNoContent)
}

// setObjectTags replaces an object version's tags.
func (s *Service) setObjectTags(rq *request, tags []tag, status int) *apiError {
	version, aerr := s.updateVersion(rq, nil, func(o *object) { o.tags = tags })
	if aerr != nil {
		return aerr
	}
	setVersionHeader(rq.w.Header(), version)
	rq.w.WriteHeader(status)
	return nil
}

// getObjectTagging implements GetObjectTagging.
func (s *Service) getObjectTagging(rq *request) *apiError {
	obj, version, aerr := s.lookupObjectVersion(rq.bucket, rq.key, rq.query)
	if aerr != nil {
		return aerr
	}
	setVersionHeader(rq.w.Header(), version)
	writeXML(rq.w, http.StatusOK, taggingResult{TagSet: tagSet{Tags: obj.tags}})
	return nil
}

// putBucketTagging implements PutBucketTagging.
func (s *Service) putBucketTagging(rq *request) *apiError {
	tags, aerr := readTagging(rq.r, maxBucketTags, "Bucket")
	if aerr != nil {
		return aerr
	}
	if tags == nil {
		tags = []tag{}
	}
	return s.updateBucket(rq, http.StatusNoContent, func(b *bucket) { b.tags = tags })
}

// deleteBucketTagging implements DeleteBucketTagging.
func (s *Service) deleteBucketTagging(rq *request) *apiError {
	return s.updateBucket(rq, http.StatusNoContent, func(b *bucket) { b.tags = nil })
}

// getBucketTagging implements GetBucketTagging; a bucket without tags is
// 404 NoSuchTagSet.
func (s *Service) getBucketTagging(rq *request) *apiError {
	tags, aerr := readBucket(s, rq.bucket, func(b *bucket) []tag { return b.tags })
	if aerr != nil {
		return aerr
	}
	if len(tags) == 0 {
		return newError(ErrNoSuchTagSet).with("BucketName", rq.bucket)
	}
	writeXML(rq.w, http.StatusOK, taggingResult{TagSet: tagSet{Tags: tags}})
	return nil
}

// updateBucket applies change to the addressed bucket under the write lock
// and answers status with no body.
func (s *Service) updateBucket(rq *request, status int, change func(*bucket)) *apiError {
	s.mu.Lock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr == nil {
		change(b)
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	rq.w.WriteHeader(status)
	return nil
}

// setTagCount sends x-amz-tagging-count, which GetObject carries when the
// object has tags.
func setTagCount(h http.Header, obj *object) {
	if len(obj.tags) > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(obj.tags)))
	}
}

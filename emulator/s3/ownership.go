package s3

import (
	"encoding/xml"
	"io"
	"net/http"
)

// Object Ownership settings (ObjectOwnership).
const (
	ownershipEnforced       = "BucketOwnerEnforced"
	ownershipOwnerPreferred = "BucketOwnerPreferred"
	ownershipObjectWriter   = "ObjectWriter"
)

func validOwnership(v string) bool {
	return v == ownershipEnforced || v == ownershipOwnerPreferred || v == ownershipObjectWriter
}

// ownershipControlsRequest is the PutBucketOwnershipControls body.
type ownershipControlsRequest struct {
	XMLName xml.Name `xml:"OwnershipControls"`
	Rules   []struct {
		ObjectOwnership string `xml:"ObjectOwnership"`
	} `xml:"Rule"`
}

// ownershipControlsResult answers GetBucketOwnershipControls.
type ownershipControlsResult struct {
	XMLName         xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ OwnershipControls"`
	ObjectOwnership string   `xml:"Rule>ObjectOwnership"`
}

// putBucketOwnershipControls implements PutBucketOwnershipControls: one
// rule naming one of the three settings. BucketOwnerEnforced disables ACLs,
// so it is refused while the bucket's ACL grants more than the owner's.
func (s *Service) putBucketOwnershipControls(rq *request) *apiError {
	raw, err := io.ReadAll(io.LimitReader(rq.r.Body, maxTaggingBody+1))
	if err != nil {
		return newError(ErrIncompleteBody)
	}
	var doc ownershipControlsRequest
	if len(raw) > maxTaggingBody || xml.Unmarshal(raw, &doc) != nil || len(doc.Rules) != 1 || !validOwnership(doc.Rules[0].ObjectOwnership) {
		return newError(ErrMalformedXML)
	}
	setting := doc.Rules[0].ObjectOwnership
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr != nil {
		return aerr
	}
	if setting == ownershipEnforced && !isPrivate(b.acl) {
		return errorf(ErrInvalidBucketAclWithObjectOwnership, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}
	b.ownership = setting
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketOwnershipControls implements GetBucketOwnershipControls.
func (s *Service) getBucketOwnershipControls(rq *request) *apiError {
	setting, aerr := readBucket(s, rq.bucket, func(b *bucket) string { return b.ownership })
	if aerr != nil {
		return aerr
	}
	if setting == "" {
		return newError(ErrOwnershipControlsNotFound).with("BucketName", rq.bucket)
	}
	writeXML(rq.w, http.StatusOK, ownershipControlsResult{ObjectOwnership: setting})
	return nil
}

// deleteBucketOwnershipControls implements DeleteBucketOwnershipControls.
func (s *Service) deleteBucketOwnershipControls(rq *request) *apiError {
	return s.updateBucket(rq, http.StatusNoContent, func(b *bucket) { b.ownership = "" })
}

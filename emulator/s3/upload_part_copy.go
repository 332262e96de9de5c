package s3

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// copyPartResult answers UploadPartCopy.
type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	checksumFields
}

// parseCopySourceRange reads x-amz-copy-source-range ("bytes=first-last",
// both required) against the source's size.
func parseCopySourceRange(v string, size int64) (byteRange, *apiError) {
	bad := errorf(ErrInvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy").
		with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", v)
	spec, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !ok {
		return byteRange{}, bad
	}
	first, last, ok := strings.Cut(spec, "-")
	start, err1 := strconv.ParseInt(first, 10, 64)
	end, err2 := strconv.ParseInt(last, 10, 64)
	if !ok || err1 != nil || err2 != nil || start < 0 || end < start {
		return byteRange{}, bad
	}
	if end >= size {
		return byteRange{}, errorf(ErrInvalidArgument, "Range specified is not valid for source object of size: %d", size).
			with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", v)
	}
	return byteRange{start: start, end: end}, nil
}

// uploadPartCopy implements UploadPartCopy: a part made of an existing
// object's bytes (all of them, or x-amz-copy-source-range), shared with
// the source rather than copied.
func (s *Service) uploadPartCopy(rq *request) *apiError {
	h := rq.r.Header
	srcBucket, srcKey, srcQuery, aerr := parseCopySource(h.Get("X-Amz-Copy-Source"))
	if aerr != nil {
		return aerr
	}
	n, up, aerr := s.partTarget(rq)
	if aerr != nil {
		return aerr
	}
	src, aerr := s.lookupCopySource(srcBucket, srcKey, srcQuery)
	if aerr != nil {
		return aerr
	}
	if aerr := copySourcePreconditions(h, src.etag, src.lastModified); aerr != nil {
		return aerr
	}
	rng := byteRange{start: 0, end: src.size - 1}
	if v := h.Get("X-Amz-Copy-Source-Range"); v != "" {
		if rng, aerr = parseCopySourceRange(v, src.size); aerr != nil {
			return aerr
		}
	}
	if rng.length() > maxObjectSize {
		return errorf(ErrInvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: %d", maxObjectSize)
	}

	part := &uploadedPart{number: n, size: max(rng.length(), 0), lastModified: s.now().UTC().Truncate(time.Second)}
	if part.size > 0 {
		part.data = src.data.slice(rng.start, rng.end)
	}
	digest := md5.New()
	for _, seg := range part.data {
		_, _ = digest.Write(seg)
	}
	digest.Sum(part.md5[:0])
	part.etag = `"` + hex.EncodeToString(part.md5[:]) + `"`
	if up.checksumAlg != "" {
		part.checksum = objectChecksum{algorithm: up.checksumAlg, value: up.checksumAlg.sumSegments(part.data), typ: checksumFullObject}
	}

	if aerr := s.storePart(rq, up, part); aerr != nil {
		return aerr
	}
	setCopyHeaders(rq.w.Header(), src)
	writeXML(rq.w, http.StatusOK, copyPartResult{
		ETag:           part.etag,
		LastModified:   xmlTime(part.lastModified),
		checksumFields: newChecksumFields(part.checksum),
	})
	return nil
}

package s3

// CompleteMultipartUpload: checking the listed parts, assembling the object
// from their segments and verifying its whole-object checksum.

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// completeMultipartUpload implements CompleteMultipartUpload: it validates
// the part list against the uploaded parts and assembles the object from
// their segments without copying a byte.
func (s *Service) completeMultipartUpload(rq *request) *apiError {
	raw, err := io.ReadAll(io.LimitReader(rq.r.Body, maxCompleteBody+1))
	if err != nil {
		return newError(ErrIncompleteBody)
	}
	var doc completeMultipartUploadRequest
	if len(raw) > maxCompleteBody || xml.Unmarshal(raw, &doc) != nil || len(doc.Parts) == 0 {
		return newError(ErrMalformedXML)
	}

	s.mu.RLock()
	b, up, aerr := s.lookupUpload(rq)
	var selected []*uploadedPart
	if aerr == nil {
		selected, aerr = selectParts(up, doc.Parts)
	} else if b != nil {
		if c, ok := b.completed.find(rq.query.Get("uploadId"), rq.key); ok {
			s.mu.RUnlock()
			writeCompleteResult(rq, c.result, c.versionID)
			return nil
		}
	}
	s.mu.RUnlock()
	if aerr != nil {
		return aerr
	}

	obj, aerr := assembleObject(rq, up, selected)
	if aerr != nil {
		return aerr
	}
	obj.setLastModified(s.now())

	res := completeMultipartUploadResult{
		Location:       (&url.URL{Scheme: "http", Host: rq.r.Host, Path: "/" + rq.bucket + "/" + rq.key}).String(),
		Bucket:         rq.bucket,
		Key:            rq.key,
		ETag:           obj.etag,
		checksumFields: newChecksumFields(obj.checksum),
		ChecksumType:   obj.checksum.typ,
	}

	s.mu.Lock()
	b, current, aerr := s.lookupUpload(rq) // completed or aborted meanwhile?
	if aerr == nil && current != up {
		aerr = errNoSuchUpload(up.id)
	}
	if aerr == nil {
		aerr = checkWritePreconditions(rq.r.Header, rq.key, b.objects[rq.key])
	}
	if aerr == nil {
		delete(b.uploads, up.id)
		b.pushVersion(obj)
		b.completed.add(completion{uploadID: up.id, key: rq.key, versionID: obj.versionID, result: res})
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	writeCompleteResult(rq, res, obj.versionID)
	return nil
}

// writeCompleteResult sends a CompleteMultipartUpload answer.
func writeCompleteResult(rq *request, res completeMultipartUploadResult, versionID string) {
	if versionID != "" {
		rq.w.Header().Set("X-Amz-Version-Id", versionID)
	}
	rq.w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
	writeXML(rq.w, http.StatusOK, res)
}

// selectParts checks the client's part list the way S3 does: ascending
// part numbers, every part uploaded with that ETag (and checksum), and
// every part but the last at least 5 MiB. Callers hold s.mu.
func selectParts(up *multipartUpload, listed []completedPart) ([]*uploadedPart, *apiError) {
	selected := make([]*uploadedPart, 0, len(listed))
	for i, lp := range listed {
		if i > 0 && lp.PartNumber <= listed[i-1].PartNumber {
			return nil, newError(ErrInvalidPartOrder).with("UploadId", up.id)
		}
		p := up.parts[lp.PartNumber]
		if p == nil || normalizeETag(lp.ETag) != normalizeETag(p.etag) {
			return nil, newError(ErrInvalidPart).
				with("UploadId", up.id).
				with("PartNumber", strconv.Itoa(lp.PartNumber)).
				with("ETag", lp.ETag)
		}
		if up.checksumAlg != "" {
			claimed := *lp.field(up.checksumAlg)
			if claimed == "" && up.checksumType == checksumComposite {
				return nil, errorf(ErrInvalidRequest, "The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.",
					strings.ToLower(string(up.checksumAlg)), lp.PartNumber)
			}
			if claimed != "" && claimed != p.checksum.value {
				return nil, newError(ErrInvalidPart).
					with("UploadId", up.id).
					with("PartNumber", strconv.Itoa(lp.PartNumber)).
					with("ETag", lp.ETag)
			}
		}
		selected = append(selected, p)
	}
	for _, p := range selected[:len(selected)-1] {
		if p.size < minPartSize {
			return nil, newError(ErrEntityTooSmall).
				with("ProposedSize", strconv.FormatInt(p.size, 10)).
				with("MinSizeAllowed", strconv.Itoa(minPartSize)).
				with("PartNumber", strconv.Itoa(p.number)).
				with("ETag", p.etag)
		}
	}
	return selected, nil
}

// assembleObject builds the completed object: its body is the parts'
// segments in order, its ETag the MD5 of the parts' MD5s suffixed with the
// part count, and its checksum composite or full-object as the upload was
// created. A full-object checksum needs one pass over the data; it runs
// without the service lock held.
func assembleObject(rq *request, up *multipartUpload, parts []*uploadedPart) (*object, *apiError) {
	obj := &object{
		key:    up.key,
		header: up.header,
		tags:   up.tags,
		acl:    up.acl,
		parts:  make([]objectPart, 0, len(parts)),
	}
	etagHash := md5.New()
	for _, p := range parts {
		obj.data = append(obj.data, p.data...)
		obj.size += p.size
		obj.parts = append(obj.parts, objectPart{size: p.size, checksum: p.checksum})
		_, _ = etagHash.Write(p.md5[:])
	}
	suffix := "-" + strconv.Itoa(len(parts))
	obj.etag = `"` + hex.EncodeToString(etagHash.Sum(nil)) + suffix + `"`

	if v := rq.r.Header.Get("X-Amz-Mp-Object-Size"); v != "" && v != strconv.FormatInt(obj.size, 10) {
		return nil, errorf(ErrInvalidRequest, "The provided 'x-amz-mp-object-size' header value %s does not match what was computed: %d", v, obj.size)
	}

	switch {
	case up.checksumType == checksumComposite:
		h := up.checksumAlg.newHash()
		for _, p := range parts {
			raw, _ := base64.StdEncoding.DecodeString(p.checksum.value)
			_, _ = h.Write(raw)
		}
		obj.checksum = objectChecksum{
			algorithm: up.checksumAlg,
			value:     base64.StdEncoding.EncodeToString(h.Sum(nil)) + suffix,
			typ:       checksumComposite,
		}
	default:
		alg := up.checksumAlg
		if alg == "" {
			alg = algCRC64NVME
		}
		obj.checksum = objectChecksum{algorithm: alg, value: alg.sumSegments(obj.data), typ: checksumFullObject}
	}
	if aerr := verifyCompleteChecksum(rq.r.Header, up, obj); aerr != nil {
		return nil, aerr
	}
	return obj, nil
}

// verifyCompleteChecksum checks the whole-object checksum a client may send
// with CompleteMultipartUpload (x-amz-checksum-* and x-amz-checksum-type)
// against the assembled object: a malformed value is InvalidRequest, a
// wrong one BadDigest, and nothing is stored in either case.
func verifyCompleteChecksum(h http.Header, up *multipartUpload, obj *object) *apiError {
	if t := strings.ToUpper(strings.TrimSpace(h.Get("X-Amz-Checksum-Type"))); t != "" {
		if t != checksumComposite && t != checksumFullObject {
			return errorf(ErrInvalidRequest, "Value for x-amz-checksum-type header is invalid.")
		}
		if up.checksumAlg != "" && t != obj.checksum.typ {
			return errorf(ErrInvalidRequest, "The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", strings.ToLower(obj.checksum.typ))
		}
	}
	claim, aerr := headerChecksumClaim(h)
	if aerr != nil || claim == nil {
		return aerr
	}
	raw := claim.value
	if obj.checksum.typ == checksumComposite && claim.alg == obj.checksum.algorithm {
		// A composite checksum is "<base64>-<part count>".
		if i := strings.LastIndexByte(raw, '-'); i > 0 {
			raw = raw[:i]
		}
	}
	if !claim.alg.validValue(raw) {
		return errorf(ErrInvalidRequest, "Value for %s header is invalid.", claim.alg.header())
	}
	switch {
	case claim.alg == obj.checksum.algorithm:
		if claim.value != obj.checksum.value {
			return errorf(ErrBadDigest, "The %s you specified did not match the calculated checksum.", claim.alg)
		}
	case up.checksumAlg != "":
		return errorf(ErrInvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(string(up.checksumAlg)), strings.ToLower(string(claim.alg)))
	default:
		// The upload named no algorithm: the claim is checked against the
		// object's bytes, whatever CRC or SHA it uses.
		if claim.alg.sumSegments(obj.data) != claim.value {
			return errorf(ErrBadDigest, "The %s you specified did not match the calculated checksum.", claim.alg)
		}
	}
	return nil
}

package s3

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// maxDeleteObjects is the most keys one DeleteObjects request may name.
const maxDeleteObjects = 1000

// deleteRequest is the DeleteObjects body.
type deleteRequest struct {
	XMLName xml.Name           `xml:"Delete"`
	Quiet   bool               `xml:"Quiet"`
	Objects []objectIdentifier `xml:"Object"`
}

type objectIdentifier struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId"`
}

// deleteResult answers DeleteObjects.
type deleteResult struct {
	XMLName xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ DeleteResult"`
	Deleted []deletedEntry `xml:"Deleted"`
	Errors  []deleteError  `xml:"Error"`
}

type deletedEntry struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// deleteObjects implements DeleteObjects. As on S3, the request fails as a
// whole only when it is malformed; per-key problems are reported in <Error>
// entries, and deleting a key that does not exist counts as deleted. Quiet
// mode reports errors only.
func (s *Service) deleteObjects(rq *request) *apiError {
	// S3 insists on an integrity check for this operation; the SDKs always
	// send one (Content-MD5 or x-amz-checksum-*), and receivePayload
	// verifies whichever arrived.
	if !hasIntegrityHeader(rq.r.Header) {
		return errorf(ErrInvalidRequest, "Missing required header for this request: Content-MD5")
	}
	body, aerr := receivePayload(rq.r, payloadRules{limit: 2 << 20})
	if aerr != nil {
		return aerr
	}
	var doc deleteRequest
	if err := xml.Unmarshal(bytes.Join(body.data, nil), &doc); err != nil ||
		len(doc.Objects) == 0 || len(doc.Objects) > maxDeleteObjects {
		return newError(ErrMalformedXML)
	}

	var res deleteResult
	s.mu.Lock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr == nil {
		now := s.now()
		for _, id := range doc.Objects {
			if d, e := deleteOne(b, id, now); e != nil {
				res.Errors = append(res.Errors, *e)
			} else if !doc.Quiet {
				res.Deleted = append(res.Deleted, d)
			}
		}
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

// deleteOne deletes one entry of a DeleteObjects request, with
// DeleteObject's semantics. Callers hold s.mu.
func deleteOne(b *bucket, id objectIdentifier, now time.Time) (deletedEntry, *deleteError) {
	fail := func(code ErrorCode, msg string) *deleteError {
		return &deleteError{Key: id.Key, VersionID: id.VersionID, Code: string(code), Message: msg}
	}
	switch {
	case id.Key == "":
		return deletedEntry{}, fail(ErrInvalidArgument, "Invalid argument: the object key is empty.")
	case len(id.Key) > maxKeyLength:
		return deletedEntry{}, fail(ErrKeyTooLong, ErrKeyTooLong.defaultMessage()+" (max "+strconv.Itoa(maxKeyLength)+" bytes)")
	case id.VersionID != "" && !wellFormedVersionID(id.VersionID):
		return deletedEntry{}, fail(ErrNoSuchVersion, ErrNoSuchVersion.defaultMessage())
	}
	entry := deletedEntry{Key: id.Key, VersionID: id.VersionID}
	if id.VersionID != "" {
		if d := b.removeVersion(id.Key, id.VersionID); d.deleteMarker {
			entry.DeleteMarker, entry.DeleteMarkerVersionID = true, id.VersionID
		}
		return entry, nil
	}
	if d := b.removeCurrent(id.Key, now); d.deleteMarker {
		entry.DeleteMarker, entry.DeleteMarkerVersionID = true, d.versionID
	}
	return entry, nil
}

// hasIntegrityHeader reports whether the request carries Content-MD5 or an
// additional checksum (as a header or an announced trailer).
func hasIntegrityHeader(h http.Header) bool {
	if _, ok := headerValue(h, "Content-Md5"); ok {
		return true
	}
	if h.Get("X-Amz-Trailer") != "" {
		return true
	}
	for _, alg := range checksumAlgorithms {
		if _, ok := headerValue(h, alg.header()); ok {
			return true
		}
	}
	return false
}

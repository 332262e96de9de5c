package s3

import (
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// minPartSize is S3's minimum size of every part but the last.
	minPartSize = 5 << 20
	// maxPartNumber is the highest part number S3 accepts.
	maxPartNumber = 10000
	// maxCompleteBody bounds the CompleteMultipartUpload document: 10,000
	// parts of a few hundred bytes each.
	maxCompleteBody = 8 << 20
)

// multipartUpload is a multipart upload in progress. Its parts map is
// guarded by Service.mu; everything else is immutable.
type multipartUpload struct {
	id        string
	key       string
	initiated time.Time
	seq       uint64 // creation order, for listing uploads of one key
	header    http.Header
	tags      []tag   // x-amz-tagging, given to the object
	acl       []grant // x-amz-acl / x-amz-grant-*, given to the object
	// checksumAlg and checksumType are what CreateMultipartUpload asked
	// for; an empty algorithm means S3's default, a full-object CRC64NVME
	// computed on completion.
	checksumAlg  checksumAlgorithm
	checksumType string
	parts        map[int]*uploadedPart
}

// uploadedPart is one received part; immutable.
type uploadedPart struct {
	number       int
	data         segments
	size         int64
	md5          [md5.Size]byte
	etag         string
	checksum     objectChecksum
	lastModified time.Time
}

// newUploadID returns an opaque id shaped like S3's (long, URL-safe).
func newUploadID() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// createMultipartUpload implements CreateMultipartUpload.
func (s *Service) createMultipartUpload(rq *request) *apiError {
	if aerr := checkKeyLength(rq.key); aerr != nil {
		return aerr
	}
	header, aerr := objectHeaders(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	alg, typ, aerr := uploadChecksumConfig(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	wo, aerr := parseWriteOptions(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	up := &multipartUpload{
		tags:         wo.tags,
		acl:          wo.acl,
		id:           newUploadID(),
		key:          rq.key,
		initiated:    s.now().UTC(),
		header:       header,
		checksumAlg:  alg,
		checksumType: typ,
		parts:        make(map[int]*uploadedPart),
	}
	s.mu.Lock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr == nil {
		aerr = wo.allowedIn(b)
	}
	if aerr == nil {
		s.uploadSeq++
		up.seq = s.uploadSeq
		b.uploads[up.id] = up
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	if alg != "" {
		rq.w.Header().Set("X-Amz-Checksum-Algorithm", string(alg))
		rq.w.Header().Set("X-Amz-Checksum-Type", typ)
	}
	rq.w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
	writeXML(rq.w, http.StatusOK, initiateMultipartUploadResult{Bucket: rq.bucket, Key: rq.key, UploadID: up.id})
	return nil
}

// uploadChecksumConfig reads x-amz-checksum-algorithm and
// x-amz-checksum-type with S3's defaults: a CRC64NVME upload is
// FULL_OBJECT, any other algorithm COMPOSITE.
func uploadChecksumConfig(h http.Header) (checksumAlgorithm, string, *apiError) {
	rawAlg, rawType := h.Get("X-Amz-Checksum-Algorithm"), strings.ToUpper(h.Get("X-Amz-Checksum-Type"))
	if rawAlg == "" {
		if rawType != "" {
			return "", "", errorf(ErrInvalidRequest, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	alg, ok := parseChecksumAlgorithm(rawAlg)
	if !ok {
		return "", "", errorf(ErrInvalidRequest, "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
	}
	switch rawType {
	case "":
		if alg == algCRC64NVME {
			return alg, checksumFullObject, nil
		}
		return alg, checksumComposite, nil
	case checksumComposite:
		if alg == algCRC64NVME {
			return "", "", errorf(ErrInvalidRequest, "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.")
		}
		return alg, rawType, nil
	case checksumFullObject:
		if !alg.supportsFullObject() {
			return "", "", errorf(ErrInvalidRequest, "The FULL_OBJECT checksum type cannot be used with the %s checksum algorithm.", strings.ToLower(string(alg)))
		}
		return alg, rawType, nil
	}
	return "", "", errorf(ErrInvalidRequest, "Value for x-amz-checksum-type header is invalid.")
}

// lookupUpload finds an upload of the addressed key. Callers hold s.mu.
// On NoSuchUpload the bucket is still returned.
func (s *Service) lookupUpload(rq *request) (*bucket, *multipartUpload, *apiError) {
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr != nil {
		return nil, nil, aerr
	}
	id := rq.query.Get("uploadId")
	up := b.uploads[id]
	if up == nil || up.key != rq.key {
		return b, nil, errNoSuchUpload(id)
	}
	return b, up, nil
}

// parsePartNumber validates the partNumber query parameter of UploadPart.
func parsePartNumber(v string) (int, *apiError) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPartNumber {
		return 0, errorf(ErrInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive").
			with("ArgumentName", "partNumber").with("ArgumentValue", v)
	}
	return n, nil
}

// partTarget validates the part number of UploadPart and UploadPartCopy
// and finds their upload.
func (s *Service) partTarget(rq *request) (int, *multipartUpload, *apiError) {
	n, aerr := parsePartNumber(rq.query.Get("partNumber"))
	if aerr != nil {
		return 0, nil, aerr
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, up, aerr := s.lookupUpload(rq)
	return n, up, aerr
}

// uploadPart implements UploadPart. A part number uploaded twice keeps the
// latest body, as on S3.
func (s *Service) uploadPart(rq *request) *apiError {
	n, up, aerr := s.partTarget(rq)
	if aerr != nil {
		return aerr
	}
	body, aerr := receivePayload(rq.r, payloadRules{limit: maxObjectSize, requiredAlg: up.checksumAlg})
	if aerr != nil {
		return aerr
	}
	part := &uploadedPart{
		number:       n,
		data:         body.data,
		size:         body.size,
		md5:          body.md5,
		etag:         `"` + hex.EncodeToString(body.md5[:]) + `"`,
		checksum:     body.checksum,
		lastModified: s.now().UTC().Truncate(time.Second),
	}
	if aerr := s.storePart(rq, up, part); aerr != nil {
		return aerr
	}
	h := rq.w.Header()
	h.Set("ETag", part.etag)
	if part.checksum.algorithm != "" {
		h.Set(part.checksum.algorithm.header(), part.checksum.value)
	}
	h.Set("X-Amz-Server-Side-Encryption", "AES256")
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// storePart adds a received part to its upload, unless the upload was
// completed or aborted meanwhile. A part number uploaded twice keeps the
// latest.
func (s *Service) storePart(rq *request, up *multipartUpload, part *uploadedPart) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, current, aerr := s.lookupUpload(rq)
	if aerr != nil {
		return aerr
	}
	if current == up {
		up.parts[part.number] = part
	}
	return nil
}

// abortMultipartUpload implements AbortMultipartUpload.
func (s *Service) abortMultipartUpload(rq *request) *apiError {
	s.mu.Lock()
	b, up, aerr := s.lookupUpload(rq)
	if aerr == nil {
		delete(b.uploads, up.id)
	}
	s.mu.Unlock()
	if aerr != nil {
		return aerr
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// listParts implements ListParts, paginated by part-number-marker and
// max-parts.
func (s *Service) listParts(rq *request) *apiError {
	maxParts, aerr := intParam(rq.query, "max-parts", 1000, 0, 1000)
	if aerr != nil {
		return aerr
	}
	marker, aerr := intParam(rq.query, "part-number-marker", 0, 0, maxPartNumber)
	if aerr != nil {
		return aerr
	}
	s.mu.RLock()
	_, up, aerr := s.lookupUpload(rq)
	var parts []*uploadedPart
	if aerr == nil {
		for _, p := range up.parts {
			if p.number > marker {
				parts = append(parts, p)
			}
		}
	}
	s.mu.RUnlock()
	if aerr != nil {
		return aerr
	}
	slices.SortFunc(parts, func(a, b *uploadedPart) int { return a.number - b.number })

	res := listPartsResult{
		Bucket:            rq.bucket,
		Key:               rq.key,
		UploadID:          up.id,
		PartNumberMarker:  marker,
		MaxParts:          maxParts,
		Initiator:         theOwner,
		Owner:             theOwner,
		StorageClass:      "STANDARD",
		ChecksumAlgorithm: string(up.checksumAlg),
		ChecksumType:      up.checksumType,
	}
	if len(parts) > maxParts {
		parts, res.IsTruncated = parts[:maxParts], true
	}
	for _, p := range parts {
		res.Parts = append(res.Parts, partInfo{
			PartNumber:     p.number,
			LastModified:   xmlTime(p.lastModified),
			ETag:           p.etag,
			Size:           p.size,
			checksumFields: newChecksumFields(p.checksum),
		})
		res.NextPartNumberMarker = p.number
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

// intParam parses an optional integer query parameter within [lo, hi];
// values above hi are clamped, as S3 does for max-parts and max-uploads.
func intParam(q map[string][]string, name string, def, lo, hi int) (int, *apiError) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return def, nil
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < lo {
		return 0, errorf(ErrInvalidArgument, "Provided %s not an integer or within integer range", name).
			with("ArgumentName", name).with("ArgumentValue", vs[0])
	}
	return min(n, hi), nil
}

// listMultipartUploads implements ListMultipartUploads with prefix,
// delimiter, key-marker/upload-id-marker and max-uploads.
func (s *Service) listMultipartUploads(rq *request) *apiError {
	q := rq.query
	maxUploads, aerr := intParam(q, "max-uploads", 1000, 0, 1000)
	if aerr != nil {
		return aerr
	}
	prefix, delimiter := q.Get("prefix"), q.Get("delimiter")
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	urlEncode, aerr := encodingType(q)
	if aerr != nil {
		return aerr
	}
	enc := listEncoder(urlEncode)

	uploads, aerr := readBucket(s, rq.bucket, func(b *bucket) (uploads []*multipartUpload) {
		for _, up := range b.uploads {
			if strings.HasPrefix(up.key, prefix) {
				uploads = append(uploads, up)
			}
		}
		return uploads
	})
	if aerr != nil {
		return aerr
	}
	slices.SortFunc(uploads, func(a, b *multipartUpload) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return int(a.seq) - int(b.seq)
	})

	res := listMultipartUploadsResult{
		Bucket: rq.bucket, KeyMarker: enc(keyMarker), UploadIDMarker: idMarker,
		Prefix: enc(prefix), Delimiter: enc(delimiter), MaxUploads: maxUploads,
	}
	if urlEncode {
		res.EncodingType = "url"
	}
	// The upload-id marker only applies within the key-marker's key: the
	// uploads of that key up to and including the marker are skipped.
	passedID := false
	lastPrefix := ""
	for _, up := range uploads {
		if keyMarker != "" && up.key < keyMarker {
			continue
		}
		if keyMarker != "" && up.key == keyMarker && (idMarker == "" || !passedID) {
			passedID = passedID || up.id == idMarker
			continue
		}
		cp := ""
		if delimiter != "" {
			if i := strings.Index(up.key[len(prefix):], delimiter); i >= 0 {
				cp = up.key[:len(prefix)+i+len(delimiter)]
			}
		}
		if cp != "" && cp == lastPrefix {
			continue
		}
		if len(res.Uploads)+len(res.CommonPrefixes) == maxUploads {
			res.IsTruncated = true
			break
		}
		if cp != "" {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
			lastPrefix, res.NextKeyMarker, res.NextUploadIDMarker = cp, enc(cp), ""
			continue
		}
		res.Uploads = append(res.Uploads, uploadInfo{
			Key: enc(up.key), UploadID: up.id, Initiator: theOwner, Owner: theOwner,
			StorageClass: "STANDARD", Initiated: xmlTime(up.initiated),
			ChecksumAlgorithm: string(up.checksumAlg), ChecksumType: up.checksumType,
		})
		res.NextKeyMarker, res.NextUploadIDMarker = enc(up.key), up.id
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = "", ""
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

package s3

import (
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
)

// versioningConfiguration is the PutBucketVersioning body (Unmarshal
// ignores the namespace).
type versioningConfiguration struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	Status    string   `xml:"Status"`
	MfaDelete string   `xml:"MfaDelete"`
}

// versioningResult answers GetBucketVersioning; a bucket never configured
// has no Status.
type versioningResult struct {
	XMLName xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ VersioningConfiguration"`
	Status  string   `xml:"Status,omitempty"`
}

// putBucketVersioning implements PutBucketVersioning. Once configured, a
// bucket's versioning can be suspended but never removed, as on S3.
func (s *Service) putBucketVersioning(rq *request) *apiError {
	raw, err := io.ReadAll(io.LimitReader(rq.r.Body, maxTaggingBody+1))
	if err != nil {
		return newError(ErrIncompleteBody)
	}
	var cfg versioningConfiguration
	if len(raw) > maxTaggingBody || xml.Unmarshal(raw, &cfg) != nil {
		return newError(ErrMalformedXML)
	}
	switch cfg.Status {
	case versioningEnabled, versioningSuspended, "":
	default:
		return newError(ErrMalformedXML)
	}
	switch cfg.MfaDelete {
	case "", "Disabled":
	case "Enabled":
		return errorf(ErrInvalidRequest, "MFA Delete cannot be enabled: the emulator has no MFA device (x-amz-mfa).")
	default:
		return newError(ErrMalformedXML)
	}
	return s.updateBucket(rq, http.StatusOK, func(b *bucket) {
		if cfg.Status != "" {
			b.versioning = cfg.Status
		}
	})
}

// getBucketVersioning implements GetBucketVersioning.
func (s *Service) getBucketVersioning(rq *request) *apiError {
	status, aerr := readBucket(s, rq.bucket, func(b *bucket) string { return b.versioning })
	if aerr != nil {
		return aerr
	}
	writeXML(rq.w, http.StatusOK, versioningResult{Status: status})
	return nil
}

// listVersionsResult answers ListObjectVersions. Versions and delete
// markers are interleaved in key order, newest first within a key, as S3
// sends them.
type listVersionsResult struct {
	XMLName             xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListVersionsResult"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Entries             []versionEntry // <Version> and <DeleteMarker>
	CommonPrefixes      []commonPrefix `xml:"CommonPrefixes"`
}

// versionEntry is a <Version> or (XMLName "DeleteMarker") a
// <DeleteMarker>; the latter has no ETag, size or storage class.
type versionEntry struct {
	XMLName           xml.Name
	Key               string `xml:"Key"`
	VersionID         string `xml:"VersionId"`
	IsLatest          bool   `xml:"IsLatest"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag,omitempty"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              *int64 `xml:"Size,omitempty"`
	StorageClass      string `xml:"StorageClass,omitempty"`
	Owner             owner  `xml:"Owner"`
}

// newVersionEntry describes one version for the listing.
func newVersionEntry(o *object, latest bool, enc func(string) string) versionEntry {
	e := versionEntry{
		XMLName:      xmlName("Version"),
		Key:          enc(o.key),
		VersionID:    o.id(),
		IsLatest:     latest,
		LastModified: xmlTime(o.lastModified),
		Owner:        theOwner,
	}
	if o.deleteMarker {
		e.XMLName = xmlName("DeleteMarker")
		return e
	}
	size := o.size
	e.ETag, e.Size, e.StorageClass = o.etag, &size, "STANDARD"
	e.ChecksumAlgorithm, e.ChecksumType = string(o.checksum.algorithm), o.checksum.typ
	return e
}

// listObjectVersions implements ListObjectVersions: prefix, delimiter,
// key-marker / version-id-marker, max-keys and encoding-type.
func (s *Service) listObjectVersions(rq *request) *apiError {
	v := rq.query
	q, urlEncode, aerr := parseListQuery(v)
	if aerr != nil {
		return aerr
	}
	keyMarker, idMarker := v.Get("key-marker"), v.Get("version-id-marker")
	if idMarker != "" && keyMarker == "" {
		return errorf(ErrInvalidArgument, "A version-id marker cannot be specified without a key marker.").
			with("ArgumentName", "version-id-marker").with("ArgumentValue", idMarker)
	}
	enc := listEncoder(urlEncode)
	res := listVersionsResult{
		Name: rq.bucket, Prefix: enc(q.prefix), KeyMarker: enc(keyMarker), VersionIDMarker: idMarker,
		MaxKeys: q.maxKeys, Delimiter: enc(q.delimiter),
	}
	if urlEncode {
		res.EncodingType = "url"
	}

	s.mu.RLock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr != nil {
		s.mu.RUnlock()
		return aerr
	}
	keys := b.versionedKeys(q.prefix)
	if q.maxKeys == 0 {
		keys = nil // an empty, untruncated page, as ListObjects
	}
	count, lastPrefix := 0, ""
	full := func() bool {
		if count < q.maxKeys {
			return false
		}
		res.IsTruncated = true
		return true
	}
keys:
	for _, key := range keys {
		if key < keyMarker || (key == keyMarker && idMarker == "") {
			continue
		}
		if q.delimiter != "" {
			if j := strings.Index(key[len(q.prefix):], q.delimiter); j >= 0 {
				cp := key[:len(q.prefix)+j+len(q.delimiter)]
				if cp == lastPrefix || cp <= keyMarker {
					continue
				}
				if full() {
					break
				}
				res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
				lastPrefix, count = cp, count+1
				res.NextKeyMarker, res.NextVersionIDMarker = enc(cp), ""
				continue
			}
		}
		versions := b.history(key)
		start := 0
		if key == keyMarker {
			// Resume after the marker version.
			start = slices.IndexFunc(versions, func(o *object) bool { return o.id() == idMarker }) + 1
		}
		for i := start; i < len(versions); i++ {
			if full() {
				break keys
			}
			res.Entries = append(res.Entries, newVersionEntry(versions[i], i == 0, enc))
			count++
			res.NextKeyMarker, res.NextVersionIDMarker = enc(key), versions[i].id()
		}
	}
	s.mu.RUnlock()
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = "", ""
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

// versionedKeys returns, in order, every key under prefix that has a
// version or a delete marker. Callers hold s.mu.
func (b *bucket) versionedKeys(prefix string) []string {
	var keys []string
	for k := range b.objects {
		if _, ok := b.versions[k]; !ok && strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	for k := range b.versions {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

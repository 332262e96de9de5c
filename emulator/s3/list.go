package s3

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// defaultMaxKeys is both the default and the cap of max-keys: S3 never
// returns more than 1000 entries per page.
const defaultMaxKeys = 1000

// listQuery is a listing request common to ListObjects and ListObjectsV2.
type listQuery struct {
	prefix    string
	delimiter string
	maxKeys   int
	// after excludes every key <= after, and every common prefix <= after:
	// a page that ended on a common prefix must not repeat it on the next
	// page even though the keys it rolled up sort after it.
	after string
}

// listPage is one page of results, in lexicographic order.
type listPage struct {
	contents  []*object
	prefixes  []string
	truncated bool
	last      string // last key or common prefix of the page
}

// list computes one page. Callers hold s.mu for reading.
func (b *bucket) list(q listQuery) listPage {
	var page listPage
	if q.maxKeys == 0 {
		// S3 answers max-keys=0 with an empty, untruncated page.
		return page
	}
	keys := b.sortedKeys()
	// All keys sharing a prefix are contiguous in sorted order, so start at
	// the first candidate and stop at the first key outside the prefix.
	i, _ := slices.BinarySearch(keys, max(q.prefix, q.after))
	lastPrefix := ""
	for _, key := range keys[i:] {
		if !strings.HasPrefix(key, q.prefix) {
			break
		}
		if key <= q.after {
			continue
		}
		cp := ""
		if q.delimiter != "" {
			if j := strings.Index(key[len(q.prefix):], q.delimiter); j >= 0 {
				cp = key[:len(q.prefix)+j+len(q.delimiter)]
			}
		}
		if cp != "" && (cp == lastPrefix || cp <= q.after) {
			continue
		}
		if len(page.contents)+len(page.prefixes) == q.maxKeys {
			page.truncated = true
			break
		}
		if cp != "" {
			page.prefixes = append(page.prefixes, cp)
			lastPrefix, page.last = cp, cp
		} else {
			page.contents = append(page.contents, b.objects[key])
			page.last = key
		}
	}
	return page
}

// parseListQuery reads the parameters shared by both list versions.
func parseListQuery(v url.Values) (listQuery, bool, *apiError) {
	q := listQuery{prefix: v.Get("prefix"), delimiter: v.Get("delimiter"), maxKeys: defaultMaxKeys}
	if s := v.Get("max-keys"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return q, false, errorf(ErrInvalidArgument, "Provided max-keys not an integer or within integer range").
				with("ArgumentName", "max-keys").with("ArgumentValue", s)
		}
		if n < 0 {
			return q, false, errorf(ErrInvalidArgument, "Argument maxKeys must be an integer between 0 and 2147483647").
				with("ArgumentName", "maxKeys").with("ArgumentValue", s)
		}
		q.maxKeys = min(n, defaultMaxKeys)
	}
	urlEncode, aerr := encodingType(v)
	if aerr != nil {
		return q, false, aerr
	}
	return q, urlEncode, nil
}

// listObjectsV2 implements ListObjectsV2. The continuation token is the
// base64 of the last entry returned, so it stays valid across writes, like
// S3's opaque tokens.
func (s *Service) listObjectsV2(rq *request) *apiError {
	v := rq.query
	q, urlEncode, aerr := parseListQuery(v)
	if aerr != nil {
		return aerr
	}
	token := v.Get("continuation-token")
	startAfter := v.Get("start-after")
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(raw) == 0 {
			return errorf(ErrInvalidArgument, "The continuation token provided is incorrect").
				with("ArgumentName", "continuation-token")
		}
		q.after = string(raw)
	} else {
		q.after = startAfter
	}
	fetchOwner := v.Get("fetch-owner") == "true"

	page, aerr := s.listBucket(rq.bucket, q)
	if aerr != nil {
		return aerr
	}

	enc := listEncoder(urlEncode)
	res := listBucketResultV2{
		Name:              rq.bucket,
		Prefix:            enc(q.prefix),
		Delimiter:         enc(q.delimiter),
		MaxKeys:           q.maxKeys,
		KeyCount:          len(page.contents) + len(page.prefixes),
		IsTruncated:       page.truncated,
		ContinuationToken: echoedToken(v),
		StartAfter:        enc(startAfter),
		Contents:          listEntries(page.contents, enc, fetchOwner),
		CommonPrefixes:    commonPrefixes(page.prefixes, enc),
	}
	if urlEncode {
		res.EncodingType = "url"
	}
	if page.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(page.last))
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

// echoedToken returns the continuation-token parameter as S3 echoes it:
// present (even empty) when the request had one, absent otherwise.
func echoedToken(v url.Values) *string {
	if !v.Has("continuation-token") {
		return nil
	}
	tok := v.Get("continuation-token")
	return &tok
}

// listObjectsV1 implements the original ListObjects. As in S3, NextMarker is
// only returned when a delimiter was given; otherwise clients continue from
// the last key.
func (s *Service) listObjectsV1(rq *request) *apiError {
	v := rq.query
	q, urlEncode, aerr := parseListQuery(v)
	if aerr != nil {
		return aerr
	}
	q.after = v.Get("marker")

	page, aerr := s.listBucket(rq.bucket, q)
	if aerr != nil {
		return aerr
	}

	enc := listEncoder(urlEncode)
	res := listBucketResultV1{
		Name:           rq.bucket,
		Prefix:         enc(q.prefix),
		Marker:         enc(q.after),
		MaxKeys:        q.maxKeys,
		Delimiter:      enc(q.delimiter),
		IsTruncated:    page.truncated,
		Contents:       listEntries(page.contents, enc, true),
		CommonPrefixes: commonPrefixes(page.prefixes, enc),
	}
	if urlEncode {
		res.EncodingType = "url"
	}
	if page.truncated && q.delimiter != "" {
		res.NextMarker = enc(page.last)
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

// encodingType reads a list request's encoding-type: true for "url", false
// when absent, InvalidArgument for anything else.
func encodingType(q url.Values) (bool, *apiError) {
	switch enc := q.Get("encoding-type"); enc {
	case "":
		return false, nil
	case "url":
		return true, nil
	default:
		return false, errorf(ErrInvalidArgument, "Invalid Encoding Method specified in Request").
			with("ArgumentName", "encoding-type").with("ArgumentValue", enc)
	}
}

// listEncoder implements encoding-type=url. S3 form-encodes (space as "+",
// "+" as "%2B"), which is what the SDKs that decode automatically expect,
// but leaves "/" alone: a key "a/b c" is listed as "a/b+c".
func listEncoder(urlEncode bool) func(string) string {
	if !urlEncode {
		return func(s string) string { return s }
	}
	return urlEncodeKey
}

// urlEncodeKey is encoding-type=url's encoding of one key or prefix.
func urlEncodeKey(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

func listEntries(objs []*object, enc func(string) string, withOwner bool) []listEntry {
	out := make([]listEntry, 0, len(objs))
	for _, o := range objs {
		e := listEntry{
			Key:               enc(o.key),
			LastModified:      xmlTime(o.lastModified),
			ETag:              o.etag,
			ChecksumAlgorithm: string(o.checksum.algorithm),
			ChecksumType:      o.checksum.typ,
			Size:              o.size,
			StorageClass:      "STANDARD",
		}
		if withOwner {
			e.Owner = &theOwner
		}
		out = append(out, e)
	}
	return out
}

func commonPrefixes(prefixes []string, enc func(string) string) []commonPrefix {
	out := make([]commonPrefix, 0, len(prefixes))
	for _, p := range prefixes {
		out = append(out, commonPrefix{Prefix: enc(p)})
	}
	return out
}

// listBucket reads one page of a bucket's listing under the read lock, for
// both ListObjects versions.
func (s *Service) listBucket(name string, q listQuery) (listPage, *apiError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, aerr := s.lookupBucket(name)
	if aerr != nil {
		return listPage{}, aerr
	}
	return b.list(q), nil
}

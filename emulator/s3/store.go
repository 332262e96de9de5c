package s3

import (
	"io"
	"net/http"
	"slices"
	"time"
)

// bucket is one S3 bucket. Its objects and uploads maps are guarded by
// Service.mu.
type bucket struct {
	name    string
	region  string
	created time.Time
	objects map[string]*object
	// uploads holds the multipart uploads in progress, by upload id.
	uploads map[string]*multipartUpload
	// completed remembers the answers to the most recent
	// CompleteMultipartUpload requests, so that a client retrying one
	// (its connection dropped before the answer arrived) gets the same
	// answer, as on S3, instead of NoSuchUpload.
	completed recentCompletions
	// tags is the bucket's tag set; nil when it has none (NoSuchTagSet).
	tags []tag
	// versioning is "", versioningEnabled or versioningSuspended.
	versioning string
	// versions holds, for every key written or deleted while versioning
	// was configured, all its versions and delete markers, newest first;
	// objects then holds the newest when it is not a delete marker. Other
	// keys' only version is their object in objects. A slice stored here
	// is never modified, only replaced.
	versions map[string][]*object
	// acl is the bucket's ACL; nil is private (the owner's FULL_CONTROL).
	acl []grant
	// ownership is the Object Ownership setting; "" when none is set.
	ownership string
	// cors is the bucket's CORS configuration; nil when it has none.
	// PutBucketCors replaces the slice, never its elements.
	cors []corsRule
}

// object is one stored object. An *object is immutable once it is in a
// bucket: PutObject replaces the pointer instead of mutating it, which lets
// GetObject copy the pointer under the read lock and stream the body after
// releasing it, and lets CopyObject and CompleteMultipartUpload share
// segments between objects instead of copying bytes.
type object struct {
	key          string
	data         segments
	size         int64
	etag         string // quoted, exactly as sent in the ETag header
	lastModified time.Time
	// lastModifiedHTTP is lastModified preformatted for the Last-Modified
	// header, so GET and HEAD do not format a time on every request.
	lastModifiedHTTP string
	checksum         objectChecksum
	// parts describes a multipart object's parts, in order, for
	// GetObject/HeadObject ?partNumber=N and x-amz-mp-parts-count; nil for
	// objects created by PutObject, which have one implicit part.
	parts []objectPart
	// header holds the stored representation headers (Content-Type,
	// Content-Disposition, Cache-Control, Content-Encoding,
	// Content-Language, Expires, x-amz-meta-*, x-amz-website-redirect-location)
	// in canonical form, replayed verbatim on GET and HEAD.
	header http.Header
	// tags is the object's tag set (at most 10).
	tags []tag
	// versionID is "" for an object written before the bucket's
	// versioning was ever configured, "null" for one written while it was
	// suspended, else the id assigned when it was written.
	versionID string
	// acl is the version's ACL; nil is private.
	acl []grant
	// deleteMarker marks a version that records a deletion; it has no
	// data and is never in bucket.objects.
	deleteMarker bool
}

// objectPart is one part of a completed multipart object.
type objectPart struct {
	size     int64
	checksum objectChecksum // zero when the part had none
}

// setLastModified sets both forms of the modification time. S3 keeps
// second precision.
func (o *object) setLastModified(t time.Time) {
	o.lastModified = t.UTC().Truncate(time.Second)
	o.lastModifiedHTTP = o.lastModified.Format(http.TimeFormat)
}

// segments is an object body held as a list of byte slices. Bodies are
// received into segments of at most segmentSize so that a large upload is
// allocated once, as it arrives, and never re-grown or copied; multipart
// objects are the concatenation of their parts' segments.
type segments [][]byte

// segmentSize bounds one segment. It is also the most the emulator
// allocates ahead of data actually received, whatever Content-Length a
// client announces.
const segmentSize = 16 << 20

// writeRange writes bytes [start, end] (inclusive) of the body to w without
// copying them.
func (s segments) writeRange(w io.Writer, start, end int64) error {
	for _, seg := range s.slice(start, end) {
		if _, err := w.Write(seg); err != nil {
			return err
		}
	}
	return nil
}

// slice returns bytes [start, end] (inclusive) of the body as segments
// sharing the original memory.
func (s segments) slice(start, end int64) segments {
	var out segments
	for _, seg := range s {
		n := int64(len(seg))
		if start >= n {
			start -= n
			end -= n
			continue
		}
		stop := min(end+1, n)
		out = append(out, seg[start:stop])
		if end < n {
			return out
		}
		start, end = 0, end-n
	}
	return out
}

// sortedKeys returns the bucket's keys in lexicographic (byte) order, the
// order S3 lists them in. Callers hold at least the read lock.
func (b *bucket) sortedKeys() []string {
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

package s3

import (
	"net/http"
	"slices"
	"time"
)

// bucket is one S3 bucket. Its objects map is guarded by Service.mu.
type bucket struct {
	name    string
	region  string
	created time.Time
	objects map[string]*object
}

// object is one stored object. An *object is immutable once it is in a
// bucket: PutObject replaces the pointer instead of mutating it, which lets
// GetObject copy the pointer under the read lock and stream the body after
// releasing it.
type object struct {
	key          string
	data         []byte
	etag         string // quoted hex MD5, exactly as sent in the ETag header
	lastModified time.Time
	checksum     objectChecksum
	// header holds the stored representation headers (Content-Type,
	// Content-Disposition, Cache-Control, Content-Encoding,
	// Content-Language, Expires, x-amz-meta-*, x-amz-website-redirect-location)
	// in canonical form, replayed verbatim on GET and HEAD.
	header http.Header
}

func (o *object) size() int64 { return int64(len(o.data)) }

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

package s3

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// Versioning states of a bucket (VersioningConfiguration's Status); a
// bucket that was never configured has "".
const (
	versioningEnabled   = "Enabled"
	versioningSuspended = "Suspended"
)

// nullVersion is the id S3 reports for the version an unversioned or
// suspended bucket writes.
const nullVersion = "null"

// versionIDLen is the length of the version ids the emulator assigns
// (S3's are 32 characters too).
const versionIDLen = 32

// newVersionID returns a fresh opaque version id: 24 random bytes as
// URL-safe base64, 32 characters.
func newVersionID() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// wellFormedVersionID reports whether v could name a version: "null" or an
// id of the emulator's shape. S3 answers a malformed id with 400
// InvalidArgument and a well-formed unknown one with 404 NoSuchVersion.
func wellFormedVersionID(v string) bool {
	if v == nullVersion {
		return true
	}
	if len(v) != versionIDLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

// id is the version id of o as S3 reports it.
func (o *object) id() string {
	if o.versionID == "" {
		return nullVersion
	}
	return o.versionID
}

// setVersionHeader sends x-amz-version-id, when there is one to report
// (see reportedVersion).
func setVersionHeader(h http.Header, versionID string) {
	if versionID != "" {
		h.Set("X-Amz-Version-Id", versionID)
	}
}

// reportedVersion is the x-amz-version-id of a version read from b: its
// id, "null" for an object written before versioning was configured, and
// nothing in a bucket that never had versioning. Callers hold s.mu.
func (b *bucket) reportedVersion(o *object) string {
	if o.versionID == "" && b.versioning != "" {
		return nullVersion
	}
	return o.versionID
}

// history returns the versions of key, newest first. Keys never written
// while versioning was configured have no entry in b.versions; their only
// version is the current object. Callers hold s.mu; the slice must not be
// modified.
func (b *bucket) history(key string) []*object {
	if vs, ok := b.versions[key]; ok {
		return vs
	}
	if o := b.objects[key]; o != nil {
		return []*object{o}
	}
	return nil
}

// pushVersion makes o the newest version of its key, as the bucket's
// versioning state says: replacing the object in an unversioned bucket,
// adding a version with a new id when versioning is enabled, and replacing
// the null version when it is suspended. It sets o.versionID, so o must not
// be visible to readers yet. Callers hold s.mu for writing.
func (b *bucket) pushVersion(o *object) {
	switch b.versioning {
	case "":
		b.objects[o.key] = o
		return
	case versioningEnabled:
		o.versionID = newVersionID()
	default:
		o.versionID = nullVersion
	}
	old := b.history(o.key)
	vs := make([]*object, 0, len(old)+1)
	vs = append(vs, o)
	for _, v := range old {
		if o.versionID != nullVersion || v.id() != nullVersion {
			vs = append(vs, v)
		}
	}
	b.setHistory(o.key, vs)
}

// setHistory stores the versions of key and makes the newest one current
// (or none, when it is a delete marker). Callers hold s.mu for writing.
func (b *bucket) setHistory(key string, vs []*object) {
	switch {
	case len(vs) == 0:
		delete(b.versions, key)
		delete(b.objects, key)
		return
	case vs[0].deleteMarker:
		delete(b.objects, key)
	default:
		b.objects[key] = vs[0]
	}
	if b.versions == nil {
		b.versions = make(map[string][]*object)
	}
	b.versions[key] = vs
}

// deleteCurrent implements a DeleteObject without version id: it removes
// the object of an unversioned bucket, and otherwise adds a delete marker,
// which it returns. Callers hold s.mu for writing.
func (b *bucket) deleteCurrent(key string, now time.Time) *object {
	if b.versioning == "" {
		delete(b.objects, key)
		return nil
	}
	marker := &object{key: key, deleteMarker: true, header: http.Header{}}
	marker.setLastModified(now)
	b.pushVersion(marker)
	return marker
}

// deleteVersion removes one version for good and returns it (nil when
// there is no such version, which S3 answers as a success). Callers hold
// s.mu for writing.
func (b *bucket) deleteVersion(key, versionID string) *object {
	vs := b.history(key)
	i := slices.IndexFunc(vs, func(o *object) bool { return o.id() == versionID })
	if i < 0 {
		return nil
	}
	removed := vs[i]
	b.setHistory(key, slices.Delete(slices.Clone(vs), i, i+1))
	return removed
}

// lookupVersion returns the object version a request addresses: the
// current one, or the one named by ?versionId. A delete marker is never
// returned: addressed as current it is NoSuchKey, by id 405, both with
// x-amz-delete-marker as on S3. Callers hold s.mu.
func (b *bucket) lookupVersion(key string, q url.Values) (*object, *apiError) {
	vs, byID := q["versionId"]
	if !byID {
		if obj := b.objects[key]; obj != nil {
			return obj, nil
		}
		aerr := errNoSuchKey(key)
		if h := b.history(key); len(h) > 0 && h[0].deleteMarker {
			aerr.withHeader("X-Amz-Delete-Marker", "true").withHeader("X-Amz-Version-Id", h[0].id())
		}
		return nil, aerr
	}
	v := ""
	if len(vs) > 0 {
		v = vs[0]
	}
	if aerr := checkVersionID(v); aerr != nil {
		return nil, aerr
	}
	h := b.history(key)
	i := slices.IndexFunc(h, func(o *object) bool { return o.id() == v })
	switch {
	case i < 0:
		return nil, newError(ErrNoSuchVersion).with("Key", key).with("VersionId", v)
	case h[i].deleteMarker:
		return nil, newError(ErrMethodNotAllowed).
			with("Method", "GET").with("ResourceType", "DeleteMarker").
			withHeader("X-Amz-Delete-Marker", "true").
			withHeader("X-Amz-Version-Id", v).
			withHeader("Allow", "DELETE").
			withHeader("Last-Modified", h[i].lastModifiedHTTP)
	}
	return h[i], nil
}

// checkVersionID validates a versionId parameter's form.
func checkVersionID(v string) *apiError {
	if v == "" {
		return errorf(ErrInvalidArgument, "Version id cannot be the empty string").
			with("ArgumentName", "versionId").with("ArgumentValue", v)
	}
	if !wellFormedVersionID(v) {
		return errorf(ErrInvalidArgument, "Invalid version id specified").
			with("ArgumentName", "versionId").with("ArgumentValue", v)
	}
	return nil
}

// replaceVersion swaps a stored version for an updated copy (new tags, a
// new ACL), keeping its place. Callers hold s.mu for writing.
func (b *bucket) replaceVersion(old, updated *object) {
	if b.objects[old.key] == old {
		b.objects[old.key] = updated
	}
	if vs, ok := b.versions[old.key]; ok {
		if i := slices.Index(vs, old); i >= 0 {
			vs = slices.Clone(vs)
			vs[i] = updated
			b.versions[old.key] = vs
		}
	}
}

// hasVersions reports whether any version or delete marker is stored,
// which keeps a bucket from being deleted. Callers hold s.mu.
func (b *bucket) hasVersions() bool {
	return len(b.objects) > 0 || len(b.versions) > 0
}

// deletion is what a delete did, as DeleteObject and DeleteObjects report
// it: the version id removed or the delete marker created, and whether
// that was a delete marker.
type deletion struct {
	versionID    string
	deleteMarker bool
}

// removeCurrent deletes a key without version id (see deleteCurrent).
// Callers hold s.mu for writing.
func (b *bucket) removeCurrent(key string, now time.Time) deletion {
	if marker := b.deleteCurrent(key, now); marker != nil {
		return deletion{versionID: marker.id(), deleteMarker: true}
	}
	return deletion{}
}

// removeVersion deletes one version (see deleteVersion). Callers hold s.mu
// for writing.
func (b *bucket) removeVersion(key, versionID string) deletion {
	d := deletion{versionID: versionID}
	if removed := b.deleteVersion(key, versionID); removed != nil {
		d.deleteMarker = removed.deleteMarker
	}
	return d
}

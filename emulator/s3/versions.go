package s3

import "net/url"

// lookupVersion returns the object version a request addresses: the
// current one, or the one named by ?versionId. Callers hold s.mu.
func (b *bucket) lookupVersion(key string, q url.Values) (*object, *apiError) {
	if aerr := checkVersionID(q); aerr != nil {
		return nil, aerr
	}
	obj := b.objects[key]
	if obj == nil {
		return nil, errNoSuchKey(key)
	}
	return obj, nil
}

// replaceVersion swaps a stored version for an updated copy (new tags, a
// new ACL), keeping its place. Callers hold s.mu for writing.
func (b *bucket) replaceVersion(old, updated *object) {
	if b.objects[old.key] == old {
		b.objects[old.key] = updated
	}
}

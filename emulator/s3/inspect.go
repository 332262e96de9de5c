package s3

import (
	"io"
	"slices"
	"strings"
	"time"
)

// BucketInfo describes a bucket for the emulator's console.
type BucketInfo struct {
	Name        string    `json:"name"`
	Region      string    `json:"region"`
	Created     time.Time `json:"created"`
	ObjectCount int       `json:"objectCount"`
	Size        int64     `json:"totalSize"`
}

// ObjectInfo describes a stored object for the emulator's console.
type ObjectInfo struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	ContentType  string    `json:"contentType"`
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"lastModified"`
}

// Buckets describes every bucket, ordered by name.
func (s *Service) Buckets() []BucketInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]BucketInfo, 0, len(s.buckets))
	for _, b := range s.buckets {
		info := BucketInfo{Name: b.name, Region: b.region, Created: b.created, ObjectCount: len(b.objects)}
		for _, o := range b.objects {
			info.Size += o.size
		}
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b BucketInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Objects lists up to limit objects of a bucket in key order (all when
// limit <= 0); ok is false when there is no such bucket.
func (s *Service) Objects(bucket string, limit int) (objects []ObjectInfo, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[bucket]
	if !ok {
		return nil, false
	}
	keys := b.sortedKeys()
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	objects = make([]ObjectInfo, 0, len(keys))
	for _, k := range keys {
		objects = append(objects, b.objects[k].info(k))
	}
	return objects, true
}

// Object returns an object's description and its body, which the caller
// may stream after this returns: stored objects are immutable (see
// object), so no lock is held while the body is written.
func (s *Service) Object(bucket, key string) (ObjectInfo, io.WriterTo, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.buckets[bucket]
	if !ok {
		return ObjectInfo{}, nil, false
	}
	o, ok := b.objects[key]
	if !ok {
		return ObjectInfo{}, nil, false
	}
	return o.info(key), body{o}, true
}

// info describes the object stored under key.
func (o *object) info(key string) ObjectInfo {
	return ObjectInfo{Key: key, Size: o.size, ContentType: o.header.Get("Content-Type"), ETag: o.etag, LastModified: o.lastModified}
}

// body streams an object's segments without copying them.
type body struct{ o *object }

// WriteTo implements io.WriterTo.
func (b body) WriteTo(w io.Writer) (int64, error) {
	if b.o.size == 0 {
		return 0, nil
	}
	cw := &countingWriter{w: w}
	err := b.o.data.writeRange(cw, 0, b.o.size-1)
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

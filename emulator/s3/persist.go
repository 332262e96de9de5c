package s3

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// Persistence for the emulator's optional data directory: Save writes every
// bucket and object under dir, Load reads them back, so state survives a
// restart. Only the current version of each object is kept (older
// versions and delete markers are not). In-progress multipart uploads are not kept (as on a crash, the
// client starts them again).

type savedBucket struct {
	Name    string        `json:"name"`
	Region  string        `json:"region"`
	Created time.Time     `json:"created"`
	Objects []savedObject `json:"objects"`
	Tags    []tag         `json:"tags,omitempty"`
	CORS    []corsRule    `json:"cors,omitempty"`
	// Versioning is the bucket's status; only current versions are saved.
	Versioning string  `json:"versioning,omitempty"`
	ACL        []grant `json:"acl,omitempty"`
	Ownership  string  `json:"ownership,omitempty"`
}

type savedObject struct {
	Key          string      `json:"key"`
	File         string      `json:"file"`
	ETag         string      `json:"etag"`
	LastModified time.Time   `json:"lastModified"`
	Header       http.Header `json:"header"`
	ChecksumAlg  string      `json:"checksumAlgorithm,omitempty"`
	ChecksumVal  string      `json:"checksumValue,omitempty"`
	ChecksumType string      `json:"checksumType,omitempty"`
	PartSizes    []int64     `json:"partSizes,omitempty"`
	Tags         []tag       `json:"tags,omitempty"`
	VersionID    string      `json:"versionId,omitempty"`
	ACL          []grant     `json:"acl,omitempty"`
}

// Save writes the buckets and objects to dir (replacing what was there).
func (s *Service) Save(dir string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "objects"), 0o755); err != nil {
		return err
	}
	var index []savedBucket
	n := 0
	for _, b := range s.buckets {
		sb := savedBucket{Name: b.name, Region: b.region, Created: b.created, Tags: b.tags, CORS: b.cors, Versioning: b.versioning, ACL: b.acl, Ownership: b.ownership}
		for _, o := range b.objects {
			n++
			file := fmt.Sprintf("%06d-%s", n, hex.EncodeToString([]byte(b.name)))
			f, err := os.Create(filepath.Join(dir, "objects", file))
			if err != nil {
				return err
			}
			for _, seg := range o.data {
				if _, err := f.Write(seg); err != nil {
					f.Close()
					return err
				}
			}
			if err := f.Close(); err != nil {
				return err
			}
			so := savedObject{Key: o.key, File: file, ETag: o.etag, LastModified: o.lastModified, Header: o.header,
				ChecksumAlg: string(o.checksum.algorithm), ChecksumVal: o.checksum.value, ChecksumType: o.checksum.typ, Tags: o.tags, VersionID: o.versionID, ACL: o.acl}
			for _, p := range o.parts {
				so.PartSizes = append(so.PartSizes, p.size)
			}
			sb.Objects = append(sb.Objects, so)
		}
		index = append(index, sb)
	}
	data, err := json.Marshal(index)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "buckets.json"), data, 0o644)
}

// Load reads what Save wrote; a missing directory is an empty state.
func (s *Service) Load(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, "buckets.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var index []savedBucket
	if err := json.Unmarshal(data, &index); err != nil {
		return fmt.Errorf("s3 state %s: %w", dir, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sb := range index {
		b := &bucket{name: sb.Name, region: sb.Region, created: sb.Created, tags: sb.Tags, cors: sb.CORS, versioning: sb.Versioning, acl: sb.ACL, ownership: sb.Ownership, objects: map[string]*object{}, uploads: map[string]*multipartUpload{}}
		for _, so := range sb.Objects {
			body, err := os.ReadFile(filepath.Join(dir, "objects", filepath.Base(so.File)))
			if err != nil {
				return err
			}
			o := &object{key: so.Key, data: segments{body}, size: int64(len(body)), etag: so.ETag, header: so.Header, tags: so.Tags, versionID: so.VersionID, acl: so.ACL,
				checksum: objectChecksum{algorithm: checksumAlgorithm(so.ChecksumAlg), value: so.ChecksumVal, typ: so.ChecksumType}}
			if o.header == nil {
				o.header = http.Header{}
			}
			for _, size := range so.PartSizes {
				o.parts = append(o.parts, objectPart{size: size})
			}
			o.setLastModified(so.LastModified)
			b.objects[so.Key] = o
		}
		s.buckets[sb.Name] = b
	}
	return nil
}

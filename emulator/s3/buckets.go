package s3

import (
	"encoding/base64"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// validBucketName applies the S3 general-purpose bucket naming rules:
// 3-63 characters of lower-case letters, digits, dots and hyphens, starting
// and ending with a letter or digit, no "..", not an IPv4 address, and none
// of the prefixes/suffixes AWS reserves.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '-' {
			return false
		}
		if (i == 0 || i == len(name)-1) && !alnum {
			return false
		}
	}
	if strings.Contains(name, "..") {
		return false
	}
	if ip := net.ParseIP(name); ip != nil && ip.To4() != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, sfx) {
			return false
		}
	}
	return true
}

// credentialScope extracts the region from a SigV4 Authorization header.
var credentialScope = regexp.MustCompile(`Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/s3/aws4_request`)

// signingRegion returns the region of the SigV4 credential scope
// (".../20240101/eu-west-1/s3/aws4_request"), from the Authorization header
// or a presigned URL, or "" when the request is not signed.
func signingRegion(r *http.Request) string {
	if m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	if c := r.URL.Query().Get("X-Amz-Credential"); c != "" {
		if parts := strings.Split(c, "/"); len(parts) == 5 {
			return parts[2]
		}
	}
	return ""
}

// createBucket implements CreateBucket.
func (s *Service) createBucket(rq *request) *apiError {
	if !validBucketName(rq.bucket) {
		return newError(ErrInvalidBucketName).with("BucketName", rq.bucket)
	}
	region, aerr := bucketRegion(rq.r)
	if aerr != nil {
		return aerr
	}
	acl, _, aerr := aclFromHeaders(rq.r.Header)
	if aerr != nil {
		return aerr
	}
	ownership := rq.r.Header.Get("X-Amz-Object-Ownership")
	if ownership != "" && !validOwnership(ownership) {
		return errorf(ErrInvalidArgument, "Invalid x-amz-object-ownership header: %s", ownership).
			with("ArgumentName", "x-amz-object-ownership").with("ArgumentValue", ownership)
	}
	if ownership == ownershipEnforced && !isPrivate(acl) {
		return errorf(ErrInvalidBucketAclWithObjectOwnership, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// S3 answers 200 to a repeated CreateBucket of a bucket you own in
	// us-east-1, for legacy reasons, and changes nothing; in every other
	// region it is this 409. Deploy code must treat both as success.
	if existing, exists := s.buckets[rq.bucket]; exists {
		if existing.region != defaultRegion || region != defaultRegion {
			return newError(ErrBucketAlreadyOwnedByYou).with("BucketName", rq.bucket)
		}
		rq.w.Header().Set("Location", "/"+rq.bucket)
		rq.w.WriteHeader(http.StatusOK)
		return nil
	}
	s.buckets[rq.bucket] = &bucket{
		name:      rq.bucket,
		region:    region,
		created:   s.now().UTC(),
		objects:   make(map[string]*object),
		uploads:   make(map[string]*multipartUpload),
		acl:       acl,
		ownership: ownership,
	}
	rq.w.Header().Set("Location", "/"+rq.bucket)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// bucketRegion decides the region of a new bucket from the optional
// CreateBucketConfiguration and the signing region, with AWS's (and
// LocalStack's) consistency rules: us-east-1 is expressed by omitting the
// constraint, and a regional endpoint only creates buckets in its region.
func bucketRegion(r *http.Request) (string, *apiError) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return "", newError(ErrIncompleteBody)
	}
	var constraint string
	if len(strings.TrimSpace(string(body))) > 0 {
		var cfg createBucketConfiguration
		if err := xml.Unmarshal(body, &cfg); err != nil {
			return "", newError(ErrMalformedXML)
		}
		constraint = strings.TrimSpace(cfg.LocationConstraint)
	}
	signed := signingRegion(r)
	switch {
	case constraint == defaultRegion:
		return "", newError(ErrInvalidLocationConstraint).with("LocationConstraint", constraint)
	case constraint == "" && signed != "" && signed != defaultRegion:
		return "", errorf(ErrIllegalLocationConstraint, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case constraint != "" && signed != "" && signed != defaultRegion && signed != constraint:
		return "", errorf(ErrIllegalLocationConstraint, "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", constraint)
	case constraint != "":
		return constraint, nil
	}
	return defaultRegion, nil
}

// lookupBucket returns the bucket or NoSuchBucket. Callers hold s.mu.
func (s *Service) lookupBucket(name string) (*bucket, *apiError) {
	b, ok := s.buckets[name]
	if !ok {
		return nil, errNoSuchBucket(name)
	}
	return b, nil
}

// readBucket returns what read takes from the named bucket under the read
// lock, or NoSuchBucket.
func readBucket[T any](s *Service, name string, read func(b *bucket) T) (T, *apiError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, aerr := s.lookupBucket(name)
	if aerr != nil {
		var none T
		return none, aerr
	}
	return read(b), nil
}

// regionOf is the bucket's region, for readBucket.
func regionOf(b *bucket) string { return b.region }

// headBucket implements HeadBucket.
func (s *Service) headBucket(rq *request) *apiError {
	region, aerr := readBucket(s, rq.bucket, regionOf)
	if aerr != nil {
		return aerr
	}
	rq.w.Header().Set("X-Amz-Bucket-Region", region)
	rq.w.Header().Set("X-Amz-Access-Point-Alias", "false")
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket implements DeleteBucket.
func (s *Service) deleteBucket(rq *request) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr != nil {
		return aerr
	}
	if b.hasVersions() {
		return newError(ErrBucketNotEmpty).with("BucketName", rq.bucket)
	}
	delete(s.buckets, rq.bucket)
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// getBucketLocation implements GetBucketLocation; us-east-1 is reported as
// an empty constraint, as S3 does.
func (s *Service) getBucketLocation(rq *request) *apiError {
	loc, aerr := readBucket(s, rq.bucket, regionOf)
	if aerr != nil {
		return aerr
	}
	if loc == defaultRegion {
		loc = ""
	}
	writeXML(rq.w, http.StatusOK, locationConstraint{Region: loc})
	return nil
}

// listBuckets implements ListBuckets, including the optional prefix,
// max-buckets and continuation-token parameters (the token is the last
// bucket name of the previous page, base64-encoded).
func (s *Service) listBuckets(rq *request) *apiError {
	q := rq.query
	prefix := q.Get("prefix")
	maxBuckets := 10000
	if v := q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errorf(ErrInvalidArgument, "Argument max-buckets must be an integer between 1 and 10000.")
		}
		maxBuckets = n
	}
	after := ""
	if tok := q.Get("continuation-token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return errorf(ErrInvalidArgument, "The continuation token provided is incorrect")
		}
		after = string(raw)
	}

	s.mu.RLock()
	all := make([]*bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		all = append(all, b)
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b *bucket) int { return strings.Compare(a.name, b.name) })

	res := listAllMyBucketsResult{Owner: theOwner, Prefix: prefix, Buckets: []bucketEntry{}}
	for _, b := range all {
		if !strings.HasPrefix(b.name, prefix) || (after != "" && b.name <= after) {
			continue
		}
		if len(res.Buckets) == maxBuckets {
			last := res.Buckets[len(res.Buckets)-1].Name
			res.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(last))
			break
		}
		res.Buckets = append(res.Buckets, bucketEntry{
			Name:         b.name,
			CreationDate: xmlTime(b.created),
			BucketRegion: b.region,
		})
	}
	writeXML(rq.w, http.StatusOK, res)
	return nil
}

package s3

import (
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
)

// The emulator has a single account (theOwner), so ACLs grant nothing that
// is enforced: they are validated, stored and returned as S3 would.

// Grantee types (xsi:type) and the predefined groups' URIs.
const (
	granteeCanonicalUser = "CanonicalUser"
	granteeGroup         = "Group"
	granteeByEmail       = "AmazonCustomerByEmail"

	groupAllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	groupAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	groupLogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"

	xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"
)

// aclPermissions are the permissions a grant may give.
var aclPermissions = []string{"FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"}

// grant is one ACL grant. Grantee fields are as in the Grantee element.
type grant struct {
	Type         string `json:"type"`
	ID           string `json:"id,omitempty"`
	DisplayName  string `json:"displayName,omitempty"`
	URI          string `json:"uri,omitempty"`
	EmailAddress string `json:"email,omitempty"`
	Permission   string `json:"permission"`
}

// ownerFullControl is the grant every canned ACL starts with.
var ownerFullControl = grant{Type: granteeCanonicalUser, ID: theOwner.ID, DisplayName: theOwner.DisplayName, Permission: "FULL_CONTROL"}

// cannedACL expands a canned ACL (x-amz-acl) into grants. In a single
// account the bucket owner is the object owner, so the bucket-owner-* ACLs
// collapse to the owner's FULL_CONTROL, as on S3; aws-exec-read's grant to
// EC2's internal principal is not modelled.
func cannedACL(name string) ([]grant, bool) {
	g := []grant{ownerFullControl}
	group := func(uri, perm string) grant { return grant{Type: granteeGroup, URI: uri, Permission: perm} }
	switch name {
	case "private", "bucket-owner-read", "bucket-owner-full-control", "aws-exec-read":
	case "public-read":
		g = append(g, group(groupAllUsers, "READ"))
	case "public-read-write":
		g = append(g, group(groupAllUsers, "READ"), group(groupAllUsers, "WRITE"))
	case "authenticated-read":
		g = append(g, group(groupAuthenticatedUsers, "READ"))
	case "log-delivery-write":
		g = append(g, group(groupLogDelivery, "WRITE"), group(groupLogDelivery, "READ_ACP"))
	default:
		return nil, false
	}
	return g, true
}

// isPrivate reports whether grants give nothing beyond the owner's.
func isPrivate(grants []grant) bool {
	for _, g := range grants {
		if g.Type != granteeCanonicalUser || g.ID != theOwner.ID {
			return false
		}
	}
	return true
}

// grantHeaders map the x-amz-grant-* headers to permissions.
var grantHeaders = []struct{ header, permission string }{
	{"X-Amz-Grant-Full-Control", "FULL_CONTROL"},
	{"X-Amz-Grant-Read", "READ"},
	{"X-Amz-Grant-Read-Acp", "READ_ACP"},
	{"X-Amz-Grant-Write", "WRITE"},
	{"X-Amz-Grant-Write-Acp", "WRITE_ACP"},
}

// aclFromHeaders reads x-amz-acl or x-amz-grant-* (S3 refuses both at
// once). ok is false when neither is present.
func aclFromHeaders(h http.Header) (grants []grant, ok bool, aerr *apiError) {
	canned := strings.TrimSpace(h.Get("X-Amz-Acl"))
	var explicit []grant
	for _, gh := range grantHeaders {
		for _, v := range h.Values(gh.header) {
			gs, aerr := parseGrantHeader(v, gh.permission)
			if aerr != nil {
				return nil, false, aerr
			}
			explicit = append(explicit, gs...)
		}
	}
	switch {
	case canned != "" && explicit != nil:
		return nil, false, errorf(ErrInvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed")
	case canned != "":
		g, known := cannedACL(canned)
		if !known {
			return nil, false, errorf(ErrInvalidArgument, "The canned ACL %s is not valid", canned).with("ArgumentName", "x-amz-acl").with("ArgumentValue", canned)
		}
		return g, true, nil
	case explicit != nil:
		return explicit, true, nil
	}
	return nil, false, nil
}

// parseGrantHeader reads one x-amz-grant-* value: a comma-separated list of
// id="…", uri="…" or emailAddress="…".
func parseGrantHeader(v, permission string) ([]grant, *apiError) {
	var out []grant
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		kind, value, ok := strings.Cut(item, "=")
		value = strings.Trim(strings.TrimSpace(value), `"`)
		if !ok || value == "" {
			return nil, errorf(ErrInvalidArgument, "Invalid grant header value: %s", item)
		}
		g := grant{Permission: permission}
		switch strings.ToLower(strings.TrimSpace(kind)) {
		case "id":
			g.Type, g.ID = granteeCanonicalUser, value
			if value == theOwner.ID {
				g.DisplayName = theOwner.DisplayName
			}
		case "uri":
			g.Type, g.URI = granteeGroup, value
		case "emailaddress":
			g.Type, g.EmailAddress = granteeByEmail, value
		default:
			return nil, errorf(ErrInvalidArgument, "Invalid grant header value: %s", item)
		}
		if aerr := g.validate(); aerr != nil {
			return nil, aerr
		}
		out = append(out, g)
	}
	return out, nil
}

// validate checks a grant's grantee and permission.
func (g grant) validate() *apiError {
	if !slices.Contains(aclPermissions, g.Permission) {
		return newError(ErrMalformedACL)
	}
	switch g.Type {
	case granteeCanonicalUser:
		if g.ID == "" {
			return errorf(ErrInvalidArgument, "Invalid id").with("ArgumentName", "CanonicalUser/ID")
		}
	case granteeGroup:
		if g.URI != groupAllUsers && g.URI != groupAuthenticatedUsers && g.URI != groupLogDelivery {
			return errorf(ErrInvalidArgument, "Invalid group uri").with("ArgumentName", "Group/URI").with("ArgumentValue", g.URI)
		}
	case granteeByEmail:
		if !strings.Contains(g.EmailAddress, "@") {
			return errorf(ErrInvalidArgument, "Invalid email address").with("ArgumentName", "EmailAddress")
		}
	default:
		return newError(ErrMalformedACL)
	}
	return nil
}

// accessControlPolicyRequest is the PutBucketAcl/PutObjectAcl body.
type accessControlPolicyRequest struct {
	XMLName xml.Name `xml:"AccessControlPolicy"`
	Owner   *owner   `xml:"Owner"`
	Grants  []struct {
		Grantee struct {
			Type         string `xml:"type,attr"`
			ID           string `xml:"ID"`
			DisplayName  string `xml:"DisplayName"`
			URI          string `xml:"URI"`
			EmailAddress string `xml:"EmailAddress"`
		} `xml:"Grantee"`
		Permission string `xml:"Permission"`
	} `xml:"AccessControlList>Grant"`
}

// accessControlPolicy answers GetBucketAcl and GetObjectAcl.
type accessControlPolicy struct {
	XMLName xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ AccessControlPolicy"`
	Owner   owner        `xml:"Owner"`
	Grants  []grantEntry `xml:"AccessControlList>Grant"`
}

type grantEntry struct {
	Grantee    granteeEntry `xml:"Grantee"`
	Permission string       `xml:"Permission"`
}

// granteeEntry spells the xsi attributes literally: encoding/xml would
// otherwise invent its own prefix for the XMLSchema-instance namespace.
type granteeEntry struct {
	XMLNSXsi     string `xml:"xmlns:xsi,attr"`
	XsiType      string `xml:"xsi:type,attr"`
	ID           string `xml:"ID,omitempty"`
	DisplayName  string `xml:"DisplayName,omitempty"`
	URI          string `xml:"URI,omitempty"`
	EmailAddress string `xml:"EmailAddress,omitempty"`
}

// newAccessControlPolicy renders stored grants (nil: private).
func newAccessControlPolicy(grants []grant) accessControlPolicy {
	if grants == nil {
		grants = []grant{ownerFullControl}
	}
	p := accessControlPolicy{Owner: theOwner, Grants: make([]grantEntry, 0, len(grants))}
	for _, g := range grants {
		p.Grants = append(p.Grants, grantEntry{
			Grantee: granteeEntry{XMLNSXsi: xsiNamespace, XsiType: g.Type, ID: g.ID, DisplayName: g.DisplayName,
				URI: g.URI, EmailAddress: g.EmailAddress},
			Permission: g.Permission,
		})
	}
	return p
}

// readACL reads the ACL of a PutBucketAcl/PutObjectAcl request: from the
// headers, or else from the AccessControlPolicy body (not both).
func readACL(r *http.Request) ([]grant, *apiError) {
	grants, fromHeaders, aerr := aclFromHeaders(r.Header)
	if aerr != nil {
		return nil, aerr
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxTaggingBody+1))
	if err != nil {
		return nil, newError(ErrIncompleteBody)
	}
	hasBody := len(strings.TrimSpace(string(raw))) > 0
	switch {
	case fromHeaders && hasBody:
		return nil, errorf(ErrUnexpectedContent, "This request does not support content")
	case fromHeaders:
		return grants, nil
	case !hasBody:
		return nil, errorf(ErrMissingSecurityHeader, "Your request was missing a required header").with("MissingHeaderName", "x-amz-acl")
	}
	var doc accessControlPolicyRequest
	if len(raw) > maxTaggingBody || xml.Unmarshal(raw, &doc) != nil || doc.Owner == nil {
		return nil, newError(ErrMalformedACL)
	}
	if doc.Owner.ID != theOwner.ID {
		return nil, newError(ErrAccessDenied)
	}
	grants = []grant{}
	for _, dg := range doc.Grants {
		g := grant{Type: dg.Grantee.Type, ID: dg.Grantee.ID, DisplayName: dg.Grantee.DisplayName,
			URI: dg.Grantee.URI, EmailAddress: dg.Grantee.EmailAddress, Permission: dg.Permission}
		if g.Type == granteeCanonicalUser && g.ID == theOwner.ID {
			g.DisplayName = theOwner.DisplayName
		}
		if aerr := g.validate(); aerr != nil {
			return nil, aerr
		}
		grants = append(grants, g)
	}
	return grants, nil
}

// aclAllowed applies Object Ownership: a bucket with BucketOwnerEnforced
// accepts no ACL but the ones equivalent to private.
func aclAllowed(b *bucket, grants []grant) *apiError {
	if b.ownership == ownershipEnforced && !isPrivate(grants) {
		return errorf(ErrAccessControlListNotSupported, "The bucket does not allow ACLs")
	}
	return nil
}

// getBucketACL implements GetBucketAcl.
func (s *Service) getBucketACL(rq *request) *apiError {
	grants, aerr := readBucket(s, rq.bucket, func(b *bucket) []grant { return b.acl })
	if aerr != nil {
		return aerr
	}
	writeXML(rq.w, http.StatusOK, newAccessControlPolicy(grants))
	return nil
}

// putBucketACL implements PutBucketAcl.
func (s *Service) putBucketACL(rq *request) *apiError {
	grants, aerr := readACL(rq.r)
	if aerr != nil {
		return aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.lookupBucket(rq.bucket)
	if aerr == nil {
		aerr = aclAllowed(b, grants)
	}
	if aerr != nil {
		return aerr
	}
	b.acl = grants
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// getObjectACL implements GetObjectAcl.
func (s *Service) getObjectACL(rq *request) *apiError {
	obj, version, aerr := s.lookupObjectVersion(rq.bucket, rq.key, rq.query)
	if aerr != nil {
		return aerr
	}
	setVersionHeader(rq.w.Header(), version)
	writeXML(rq.w, http.StatusOK, newAccessControlPolicy(obj.acl))
	return nil
}

// putObjectACL implements PutObjectAcl; like tagging it replaces the
// version with a copy carrying the new ACL.
func (s *Service) putObjectACL(rq *request) *apiError {
	grants, aerr := readACL(rq.r)
	if aerr != nil {
		return aerr
	}
	version, aerr := s.updateVersion(rq, func(b *bucket) *apiError { return aclAllowed(b, grants) },
		func(o *object) { o.acl = grants })
	if aerr != nil {
		return aerr
	}
	setVersionHeader(rq.w.Header(), version)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

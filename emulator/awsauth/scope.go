// Package awsauth reads the credential scope of SigV4-signed requests. The
// emulator accepts any credentials, as LocalStack does, but uses the scope
// to learn the region and which service a request is for.
package awsauth

import (
	"net/http"
	"strings"
)

// Scope is the credential scope of a SigV4 request:
// <access key>/<date>/<region>/<service>/aws4_request.
type Scope struct {
	AccessKey string
	Date      string
	Region    string
	Service   string
}

// ScopeOf returns the scope from the Authorization header or, for presigned
// URLs, the X-Amz-Credential query parameter; ok is false for unsigned requests.
func ScopeOf(r *http.Request) (Scope, bool) {
	cred := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "AWS4-") {
		for _, part := range strings.Split(auth, ",") {
			part = strings.TrimSpace(part)
			if i := strings.Index(part, "Credential="); i >= 0 {
				cred = part[i+len("Credential="):]
				break
			}
		}
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return Scope{}, false
	}
	return Scope{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}, true
}

// Region returns the signed region of r, or def when r is unsigned.
func Region(r *http.Request, def string) string {
	if s, ok := ScopeOf(r); ok && s.Region != "" {
		return s.Region
	}
	return def
}

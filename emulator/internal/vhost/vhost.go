// Package vhost reads LocalStack's virtual-host names, which put a
// resource id in front of a service label: <apiId>.execute-api.localhost…
// for an API Gateway API, <urlId>.lambda-url.<region>.localhost… for a
// Lambda function URL. API Gateway and Lambda each check what follows the
// label.
package vhost

import (
	"net"
	"strings"
)

// ID splits a Host header (port optional) at label, such as
// ".execute-api.": the id before it and the rest of the name after it; ok
// is false when the host has no such label or an empty id.
func ID(host, label string) (id, rest string, ok bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	id, rest, ok = strings.Cut(host, label)
	if !ok || id == "" {
		return "", "", false
	}
	return id, rest, true
}

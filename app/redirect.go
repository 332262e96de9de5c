package app

import (
	"net/url"
	"strings"
)

// safeNext returns next if it is a path on this site, and "/" otherwise,
// so a crafted login link cannot send the user to another site
// ("//evil.example", "https://evil.example", "/\evil.example" all fail).
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

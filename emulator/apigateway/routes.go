package apigateway

import (
	"fmt"
	"net/url"
	"strings"
)

// routeKey is a parsed route key such as "GET /rooms/{id}" or "$default".
type routeKey struct {
	method   string // "ANY" matches every method; empty for $default
	segments []string
	isDef    bool
}

var routeMethods = map[string]bool{"ANY": true, "GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true, "OPTIONS": true}

func parseRouteKey(key string) (routeKey, error) {
	if key == DefaultRoute {
		return routeKey{isDef: true}, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || !routeMethods[method] || !strings.HasPrefix(path, "/") {
		return routeKey{}, fmt.Errorf("invalid route key %q: use \"$default\" or \"METHOD /path\" with METHOD one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", key)
	}
	segs := splitPath(path)
	for i, s := range segs {
		if strings.HasSuffix(s, "+}") && i != len(segs)-1 {
			return routeKey{}, fmt.Errorf("invalid route key %q: a greedy path variable {name+} must be the last segment", key)
		}
	}
	return routeKey{method: method, segments: segs}, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match reports whether the request method and decoded path segments match,
// with the path parameters and a specificity score (higher wins).
func (k routeKey) match(method string, segs []string) (map[string]string, [4]int, bool) {
	var score [4]int
	if k.isDef {
		return nil, score, true // lowest score: matches everything
	}
	if k.method != "ANY" && k.method != method {
		return nil, score, false
	}
	params := map[string]string{}
	literals, greedy := 0, false
	for i, pat := range k.segments {
		if name, ok := strings.CutSuffix(strings.TrimPrefix(pat, "{"), "+}"); ok && strings.HasPrefix(pat, "{") {
			if i >= len(segs) {
				return nil, score, false // {proxy+} needs at least one segment
			}
			params[name] = strings.Join(segs[i:], "/")
			greedy = true
			break
		}
		if i >= len(segs) {
			return nil, score, false
		}
		if strings.HasPrefix(pat, "{") && strings.HasSuffix(pat, "}") {
			params[pat[1:len(pat)-1]] = segs[i]
			continue
		}
		if pat != segs[i] {
			return nil, score, false
		}
		literals++
	}
	if !greedy && len(segs) != len(k.segments) {
		return nil, score, false
	}
	score[0] = 1 // any explicit route beats $default
	if !greedy {
		score[1] = 1
	}
	score[2] = literals*100 + len(k.segments)
	if k.method != "ANY" {
		score[3] = 1
	}
	return params, score, true
}

func better(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// selectRoute finds the most specific route for the request, as API
// Gateway does: explicit routes before greedy ones before $default, and a
// specific method before ANY.
func selectRoute(routes map[string]*Route, method, escapedPath string) (*Route, map[string]string) {
	raw := splitPath(escapedPath)
	segs := make([]string, len(raw))
	for i, s := range raw {
		if d, err := url.PathUnescape(s); err == nil {
			segs[i] = d
		} else {
			segs[i] = s
		}
	}
	var best *Route
	var bestParams map[string]string
	var bestScore [4]int
	for _, rt := range routes {
		k, err := parseRouteKey(rt.RouteKey)
		if err != nil {
			continue
		}
		params, score, ok := k.match(method, segs)
		if !ok {
			continue
		}
		if best == nil || better(score, bestScore) {
			best, bestParams, bestScore = rt, params, score
		}
	}
	return best, bestParams
}

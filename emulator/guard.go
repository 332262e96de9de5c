package emulator

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/coolroom/testbed/emulator/apigateway"
	"github.com/coolroom/testbed/emulator/lambda"
)

// GuardConfig says whom the emulator answers besides loopback clients that
// name it by a loopback host. The emulator accepts any AWS credentials, as
// LocalStack does, so its only protection is who can reach it: a web page
// in the developer's browser must not be able to create and invoke a
// function (code execution) or read a function's environment (its
// secrets), either by a cross-site request or by DNS rebinding.
type GuardConfig struct {
	// AllowedHosts are extra Host names the emulator answers, for example
	// the compose service name "aws" that other containers use
	// (COOLROOM_EMULATOR_HOSTS). Loopback addresses, localhost, *.localhost,
	// *.localhost.localstack.cloud and the address it is bound to are always
	// answered.
	AllowedHosts []string
	// AllowedOrigins are browser origins (scheme://host[:port]) whose
	// cross-site requests are served (EXTRA_CORS_ALLOWED_ORIGINS, as
	// LocalStack names it).
	AllowedOrigins []string
	// DisableCrossSiteChecks serves browser cross-site requests from any
	// origin (DISABLE_CORS_CHECKS, as LocalStack names it). The Host check
	// stays on.
	DisableCrossSiteChecks bool
}

// guard refuses requests that a browser made on behalf of another site and
// requests whose Host is not one of the emulator's own names.
type guard struct {
	hosts   map[string]bool
	origins map[string]bool
	open    bool
	// bind is the host of the address the emulator listens on, when it is
	// a specific address (set by Serve).
	bind atomic.Pointer[string]
}

func newGuard(cfg GuardConfig) *guard {
	g := &guard{hosts: map[string]bool{}, origins: map[string]bool{}, open: cfg.DisableCrossSiteChecks}
	for _, h := range cfg.AllowedHosts {
		if h = normalHost(h); h != "" {
			g.hosts[h] = true
		}
	}
	for _, o := range cfg.AllowedOrigins {
		if o = strings.TrimRight(strings.TrimSpace(strings.ToLower(o)), "/"); o != "" {
			g.origins[o] = true
		}
	}
	return g
}

// listening records the address the emulator is bound to: a client on the
// LAN that the user chose to listen on names the emulator by it.
func (g *guard) listening(addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		return
	}
	h := normalHost(tcp.IP.String())
	g.bind.Store(&h)
}

// normalHost lower-cases a Host value and drops its port, brackets and a
// trailing dot.
func normalHost(host string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.TrimSuffix(host, ".")
}

// hostAllowed reports whether host names this emulator: a DNS-rebinding
// page reaches the emulator under the attacker's own name, which is never
// one of these.
func (g *guard) hostAllowed(host string) bool {
	h := normalHost(host)
	switch {
	case h == "":
		// HTTP/1.0 without Host: not a browser (browsers always send it).
		return true
	case h == "localhost", strings.HasSuffix(h, ".localhost"),
		h == "localhost.localstack.cloud", strings.HasSuffix(h, ".localhost.localstack.cloud"):
		return true
	case g.hosts[h]:
		return true
	}
	if ip := net.ParseIP(h); ip != nil && ip.IsLoopback() {
		return true
	}
	if b := g.bind.Load(); b != nil && *b == h {
		return true
	}
	return false
}

// crossSite reports why r is a browser request made by another site, or ""
// when it is not. SDKs and CLIs send neither Sec-Fetch-Site nor Origin, so
// they always pass. A top-level navigation (a link to the console, a typed
// URL) reads nothing the page could see and changes nothing, so it passes
// too; only GET and HEAD navigate.
func (g *guard) crossSite(r *http.Request) string {
	if g.open {
		return ""
	}
	origin := strings.ToLower(r.Header.Get("Origin"))
	if origin != "" && g.origins[origin] {
		return ""
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "same-origin", "none":
		return ""
	case "cross-site", "same-site":
		if r.Header.Get("Sec-Fetch-Mode") == "navigate" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			return ""
		}
		return "Sec-Fetch-Site: " + site
	}
	// Browsers without Fetch Metadata: judge by Origin, then Referer.
	if origin != "" {
		if g.sameOrigin(origin, r.Host) {
			return ""
		}
		return "Origin: " + origin
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		u, err := url.Parse(ref)
		if err != nil || u.Host == "" {
			return "Referer: " + ref
		}
		o := strings.ToLower(u.Scheme + "://" + u.Host)
		if g.origins[o] || g.sameOrigin(o, r.Host) {
			return ""
		}
		return "Referer: " + o
	}
	return ""
}

// sameOrigin reports whether origin is this server as named by host.
func (g *guard) sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // "null" and other opaque origins
	}
	return strings.EqualFold(u.Host, host)
}

// refuse answers 403 with a message that says what was refused and how to
// allow it, in the JSON error shape of the AWS REST-JSON services.
func refuse(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusForbidden)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": "AccessDeniedException", "message": message, "Message": message})
}

// isExecuteAPI reports whether r is for an API's invoke URL or a function URL, the data plane
// that browsers are meant to call (API Gateway's CORS rules apply there,
// not the emulator's cross-site guard).
func isExecuteAPI(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, apigateway.ExecuteAPIPath) ||
		(strings.HasPrefix(p, "/restapis/") && strings.Contains(p, "/_user_request_")) ||
		apigateway.APIOfHost(r.Host) != "" || lambda.URLHost(r.Host) != ""
}

// ParseGuardConfig builds a GuardConfig from the values of the environment
// variables that configure it: COOLROOM_EMULATOR_HOSTS and
// EXTRA_CORS_ALLOWED_ORIGINS (comma-separated lists), DISABLE_CORS_CHECKS
// ("1" or "true") and LOCALSTACK_HOST (host[:port], the name LocalStack
// users give the emulator in containers; its host is answered too).
func ParseGuardConfig(hosts, origins, disable, localstackHost string) GuardConfig {
	split := func(s string) []string {
		var out []string
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	cfg := GuardConfig{AllowedHosts: split(hosts), AllowedOrigins: split(origins)}
	if localstackHost != "" {
		cfg.AllowedHosts = append(cfg.AllowedHosts, localstackHost)
	}
	switch strings.ToLower(strings.TrimSpace(disable)) {
	case "1", "true", "yes":
		cfg.DisableCrossSiteChecks = true
	}
	return cfg
}

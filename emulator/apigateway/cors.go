package apigateway

import (
	"net/http"
	"strconv"
	"strings"
)

// CORS on an HTTP API (corsConfiguration). As API Gateway documents, with a
// configuration the gateway answers preflight OPTIONS requests itself,
// whatever the routes, and on other requests replaces any CORS headers of
// the integration's answer with its own.

// Cors is an HTTP API's corsConfiguration.
type Cors struct {
	AllowCredentials bool     `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int32   `json:"maxAge,omitempty"`
}

// validateCors refuses what API Gateway refuses: credentials with a
// wildcard origin, and a maxAge outside -1…86400.
func validateCors(c *Cors) error {
	if c == nil {
		return nil
	}
	if c.AllowCredentials && contains(c.AllowOrigins, "*") {
		return badRequest("allowCredentials cannot be true when allowOrigins contains *")
	}
	if c.MaxAge != nil && (*c.MaxAge < -1 || *c.MaxAge > 86400) {
		return badRequest("maxAge must be between -1 and 86400")
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// allowedOrigin is the Access-Control-Allow-Origin for origin, or "".
func (c *Cors) allowedOrigin(origin string) string {
	switch {
	case origin == "":
		return ""
	case contains(c.AllowOrigins, "*"):
		return "*"
	case contains(c.AllowOrigins, origin):
		return origin
	}
	return ""
}

func isPreflight(r *http.Request) bool {
	return r.Method == http.MethodOptions && r.Header.Get("Origin") != "" && r.Header.Get("Access-Control-Request-Method") != ""
}

// answerPreflight answers a preflight with 204: the CORS headers when the
// origin is allowed, none otherwise (the browser then refuses the call).
func (c *Cors) answerPreflight(w http.ResponseWriter, r *http.Request) int {
	if origin := c.allowedOrigin(r.Header.Get("Origin")); origin != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		if len(c.AllowMethods) > 0 {
			h.Set("Access-Control-Allow-Methods", strings.Join(c.AllowMethods, ","))
		}
		if len(c.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ","))
		}
		if c.AllowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if c.MaxAge != nil && *c.MaxAge >= 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(int(*c.MaxAge)))
		}
		h.Add("Vary", "Origin")
	}
	w.WriteHeader(http.StatusNoContent)
	return http.StatusNoContent
}

// corsWriter puts the API's CORS headers on an answer in place of the
// integration's.
type corsWriter struct {
	http.ResponseWriter
	cors   *Cors
	origin string
	done   bool
}

func (cw *corsWriter) WriteHeader(status int) {
	if !cw.done {
		cw.done = true
		h := cw.Header()
		for k := range h {
			if strings.HasPrefix(strings.ToLower(k), "access-control-") {
				delete(h, k)
			}
		}
		if origin := cw.cors.allowedOrigin(cw.origin); origin != "" {
			h.Set("Access-Control-Allow-Origin", origin)
			if len(cw.cors.ExposeHeaders) > 0 {
				h.Set("Access-Control-Expose-Headers", strings.Join(cw.cors.ExposeHeaders, ","))
			}
			if cw.cors.AllowCredentials {
				h.Set("Access-Control-Allow-Credentials", "true")
			}
			h.Add("Vary", "Origin")
		}
	}
	cw.ResponseWriter.WriteHeader(status)
}

func (cw *corsWriter) Write(b []byte) (int, error) {
	if !cw.done {
		cw.WriteHeader(http.StatusOK)
	}
	return cw.ResponseWriter.Write(b)
}

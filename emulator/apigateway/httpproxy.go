package apigateway

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// HTTP_PROXY integrations: API Gateway passes the whole request to an HTTP
// URL and the whole response back. Path variables of the route ({id},
// {proxy} for a greedy {proxy+}) are substituted into the integration URI;
// the client's query string is passed on; the method is the integration's,
// or the client's when it is ANY.

// hopHeaders are connection-level headers a proxy does not forward.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// proxyClient follows no redirects: API Gateway hands a backend's 3xx to
// the client. Each call sets its own deadline.
var proxyClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// integrationURL is the URL an HTTP_PROXY integration calls for a request
// whose route matched with params; query is the client's (mapped) query.
func integrationURL(uri string, params map[string]string, query string) (*url.URL, error) {
	for name, value := range params {
		segs := strings.Split(value, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		uri = strings.ReplaceAll(uri, "{"+name+"}", strings.Join(segs, "/"))
	}
	u, err := url.Parse(uri)
	if err != nil {
		return nil, err
	}
	if query != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&" + query
		} else {
			u.RawQuery = query
		}
	}
	return u, nil
}

// proxyHTTP calls the integration's URL with the (mapped) request and
// copies the answer back. A backend that cannot be reached answers 500, one
// slower than the integration timeout 503, as HTTP APIs do.
func (s *Service) proxyHTTP(w http.ResponseWriter, r *http.Request, tr *Trace, integ Integration, req outgoing, body []byte) int {
	u, err := integrationURL(integ.IntegrationURI, req.pathParams, req.rawQuery)
	if err != nil {
		tr.Error = "bad integration URL: " + err.Error()
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	if req.pathOverride != "" {
		u.Path, u.RawPath = req.pathOverride, ""
	}
	method := integ.IntegrationMethod
	if method == "ANY" {
		method = r.Method
	}
	timeout := time.Duration(integ.TimeoutInMillis) * time.Millisecond
	called := time.Now()
	tr.Routing = called.Sub(tr.Start)
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(string(body)))
	if err != nil {
		tr.Error = "bad integration request: " + err.Error()
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	out.Header = req.header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	out.Header.Del("Host")
	if ip, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		out.Header.Set("X-Forwarded-For", ip)
	}
	out.Header.Set("X-Forwarded-Proto", "http")
	out.ContentLength = int64(len(body))
	resp, err := proxyClient.Do(out)
	tr.Integration = time.Since(called)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			tr.Error = "integration timed out after " + timeout.String()
			return writeGateway(w, http.StatusServiceUnavailable, msgUnavailable)
		}
		s.log.Warn("execute-api: http proxy failed", "url", u.Redacted(), "err", err)
		tr.Error = "http proxy failed: " + err.Error()
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxRequestBody+1))
	if err != nil || len(data) > maxRequestBody {
		tr.Error = "http proxy response unreadable or over 10 MB"
		return writeGateway(w, http.StatusInternalServerError, msgInternalError)
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	for _, h := range hopHeaders {
		w.Header().Del(h)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data)
	return resp.StatusCode
}

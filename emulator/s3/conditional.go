package s3

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// byteRange is an inclusive byte interval of an object.
type byteRange struct{ start, end int64 }

func (br byteRange) length() int64 { return br.end - br.start + 1 }

// parseRange interprets a Range header the way S3 does. It returns
// partial=false when the whole object should be served: no header, a header
// S3 ignores (not "bytes=", syntactically invalid, or several ranges, which
// S3 does not support), or a suffix range on an empty object. A well-formed
// range that does not overlap the object is 416 InvalidRange.
//
// http.ServeContent is not used because it differs from S3 where clients
// notice: it serves multipart/byteranges for several ranges, answers 416
// with a plain-text body, and applies its own precondition logic.
func parseRange(spec string, size int64) (br byteRange, partial bool, aerr *apiError) {
	spec = strings.TrimSpace(spec)
	v, ok := strings.CutPrefix(spec, "bytes=")
	if !ok || strings.Contains(v, ",") {
		return byteRange{}, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(v), "-")
	if !ok {
		return byteRange{}, false, nil
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)

	if first == "" { // suffix range: the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return byteRange{}, false, nil
		}
		if n == 0 {
			return byteRange{}, false, errInvalidRange(spec, size)
		}
		if size == 0 {
			// RFC 9110 deems a non-zero suffix satisfiable, but no
			// Content-Range can describe zero bytes: serve the (empty) whole.
			return byteRange{}, false, nil
		}
		return byteRange{start: max(size-n, 0), end: size - 1}, true, nil
	}

	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return byteRange{}, false, nil
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return byteRange{}, false, nil
		}
	}
	if start >= size {
		// Includes every range on an empty object, which S3 also rejects.
		return byteRange{}, false, errInvalidRange(spec, size)
	}
	return byteRange{start: start, end: min(end, size-1)}, true, nil
}

func errInvalidRange(spec string, size int64) *apiError {
	return newError(ErrInvalidRange).
		with("RangeRequested", spec).
		with("ActualObjectSize", strconv.FormatInt(size, 10)).
		withHeader("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
}

// partRange resolves GetObject/HeadObject ?partNumber=N: the bytes of part
// N, served as a 206 with that part's checksum. Objects created by
// PutObject have exactly one part, the whole object.
func (o *object) partRange(pn, rangeHeader string) (br byteRange, partial bool, ck objectChecksum, aerr *apiError) {
	if rangeHeader != "" {
		return byteRange{}, false, ck, errorf(ErrInvalidRequest, "Cannot specify both Range header and partNumber query parameter")
	}
	n, err := strconv.Atoi(pn)
	if err != nil || n < 1 || n > maxPartNumber {
		return byteRange{}, false, ck, errorf(ErrInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive").
			with("ArgumentName", "partNumber").with("ArgumentValue", pn)
	}
	parts := o.parts
	if parts == nil {
		parts = []objectPart{{size: o.size, checksum: o.checksum}}
	}
	if n > len(parts) {
		return byteRange{}, false, ck, errorf(ErrInvalidPartNumber, "The requested partnumber is not satisfiable").
			with("PartNumberRequested", pn).with("ActualPartCount", strconv.Itoa(len(parts)))
	}
	var start int64
	for _, p := range parts[:n-1] {
		start += p.size
	}
	part := parts[n-1]
	if part.size == 0 {
		return byteRange{}, false, part.checksum, nil
	}
	return byteRange{start: start, end: start + part.size - 1}, true, part.checksum, nil
}

// evaluatePreconditions applies the RFC 9110 order S3 follows for GET/HEAD:
// If-Match (else If-Unmodified-Since) failing gives 412; then If-None-Match
// (else If-Modified-Since) matching gives 304. It returns 0 when the request
// should proceed, and for 412 the header that failed.
func evaluatePreconditions(h http.Header, etag string, lastModified time.Time) (status int, condition string) {
	if v := h.Get("If-Match"); v != "" {
		if !etagListMatches(v, etag) {
			return http.StatusPreconditionFailed, "If-Match"
		}
	} else if v := h.Get("If-Unmodified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && lastModified.After(t) {
			return http.StatusPreconditionFailed, "If-Unmodified-Since"
		}
	}
	if v := h.Get("If-None-Match"); v != "" {
		if etagListMatches(v, etag) {
			return http.StatusNotModified, ""
		}
	} else if v := h.Get("If-Modified-Since"); v != "" {
		if t, err := http.ParseTime(v); err == nil && !lastModified.After(t) {
			return http.StatusNotModified, ""
		}
	}
	return 0, ""
}

// etagListMatches reports whether a comma-separated If-Match/If-None-Match
// list contains etag or "*". Quotes and the weak prefix are ignored, since
// clients are inconsistent about sending ETags quoted.
func etagListMatches(list, etag string) bool {
	want := normalizeETag(etag)
	for _, candidate := range strings.Split(list, ",") {
		c := strings.TrimSpace(candidate)
		if c == "*" || normalizeETag(c) == want {
			return true
		}
	}
	return false
}

func normalizeETag(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	return strings.Trim(s, `"`)
}

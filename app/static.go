package app

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// handleStatic streams a static file out of S3 (the app keeps no copy it
// serves), passing on the stored type, ETag and caching headers.
func (a *App) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + chiWildcard(r))
	if name == "/" || strings.Contains(name, "..") {
		http.NotFound(w, r)
		return
	}
	in := &s3.GetObjectInput{Bucket: aws.String(a.bucket), Key: aws.String("static" + name)}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		in.IfNoneMatch = aws.String(inm)
	}
	out, err := a.s3.GetObject(r.Context(), in)
	if err != nil {
		var noKey *types.NoSuchKey
		var notModified interface{ HTTPStatusCode() int }
		switch {
		case errors.As(err, &noKey):
			http.NotFound(w, r)
		case errors.As(err, &notModified) && notModified.HTTPStatusCode() == http.StatusNotModified:
			w.WriteHeader(http.StatusNotModified)
		default:
			a.log.Error("static file from S3", "key", *in.Key, "err", err)
			http.Error(w, "static files are unavailable", http.StatusServiceUnavailable)
		}
		return
	}
	defer out.Body.Close()
	h := w.Header()
	h.Set("Content-Type", aws.ToString(out.ContentType))
	if out.ETag != nil {
		h.Set("ETag", *out.ETag)
	}
	if out.CacheControl != nil {
		h.Set("Cache-Control", *out.CacheControl)
	}
	if out.ContentLength != nil {
		h.Set("Content-Length", strconv.FormatInt(*out.ContentLength, 10))
	}
	h.Set("X-Served-From", "s3://"+a.bucket+"/"+*in.Key)
	_, _ = io.Copy(w, out.Body)
}

func chiWildcard(r *http.Request) string {
	return strings.TrimPrefix(r.URL.Path, "/static/")
}

package app

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/go-chi/chi/v5"
)

// immutableCache is for URLs whose content never changes: content-hashed
// static files and randomly keyed avatars.
const immutableCache = "public, max-age=31536000, immutable"

// handleStatic streams a static file out of S3 (the app keeps no copy it
// serves), passing on the stored type, ETag and caching headers.
func (a *App) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := chi.URLParam(r, "name")
	if _, ok := assets.orig[name]; !ok {
		// Only names this build publishes; an older replica's names still
		// exist in S3 but are not ours to serve.
		a.notFound(w, r)
		return
	}
	a.streamS3(w, r, a.bucket, "static/"+name, "")
}

// handleAvatar streams an uploaded avatar from S3. Going through the app
// works on every target (emulator, LocalStack, AWS) without making the
// bucket public or handing out endpoint-specific presigned URLs; the
// random key makes the response cacheable forever.
func (a *App) handleAvatar(w http.ResponseWriter, r *http.Request) {
	key := avatarPrefix + chi.URLParam(r, "name")
	if user := chi.URLParam(r, "user"); user != "" {
		key = avatarPrefix + user + "/" + chi.URLParam(r, "name")
	}
	if !validAvatarKey(key) {
		a.notFound(w, r)
		return
	}
	a.streamS3(w, r, a.avatarBucket, key, immutableCache)
}

// streamS3 copies an object to the response with its type and ETag,
// answering If-None-Match with 304. cacheControl overrides the object's.
func (a *App) streamS3(w http.ResponseWriter, r *http.Request, bucket, key, cacheControl string) {
	in := &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		in.IfNoneMatch = aws.String(inm)
	}
	out, err := a.s3.GetObject(r.Context(), in)
	if err != nil {
		var noKey *types.NoSuchKey
		var status interface{ HTTPStatusCode() int }
		switch {
		case errors.As(err, &noKey):
			a.notFound(w, r)
		case errors.As(err, &status) && status.HTTPStatusCode() == http.StatusNotModified:
			w.Header().Set("ETag", r.Header.Get("If-None-Match"))
			w.WriteHeader(http.StatusNotModified)
		case errors.As(err, &status) && status.HTTPStatusCode() == http.StatusNotFound:
			a.notFound(w, r)
		default:
			a.log.Error("object from S3", "bucket", bucket, "key", key, "err", err)
			http.Error(w, "file storage is unavailable", http.StatusServiceUnavailable)
		}
		return
	}
	defer out.Body.Close()
	h := w.Header()
	h.Set("Content-Type", aws.ToString(out.ContentType))
	if out.ETag != nil {
		h.Set("ETag", *out.ETag)
	}
	switch {
	case cacheControl != "":
		h.Set("Cache-Control", cacheControl)
	case out.CacheControl != nil:
		h.Set("Cache-Control", *out.CacheControl)
	}
	if out.ContentLength != nil {
		h.Set("Content-Length", strconv.FormatInt(*out.ContentLength, 10))
	}
	h.Set("X-Served-From", "s3://"+bucket+"/"+key)
	_, _ = io.Copy(w, out.Body)
}

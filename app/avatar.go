package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"net/http"
	"regexp"

	// The formats an avatar may have; decoding proves the file is one.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// avatarPrefix is where avatars live in the avatar bucket.
const avatarPrefix = "avatars/"

// maxAvatarSide bounds an avatar's width and height, so a small file
// cannot claim a huge image and exhaust memory when decoded.
const maxAvatarSide = 4096

// avatarTypes maps the sniffed content type of each accepted format to
// its decoder's name and the extension of its S3 key. SVG is absent on
// purpose: it can carry script.
var avatarTypes = map[string]struct{ format, ext string }{
	"image/png":  {"png", ".png"},
	"image/jpeg": {"jpeg", ".jpg"},
	"image/gif":  {"gif", ".gif"},
	"image/webp": {"webp", ".webp"},
}

var avatarName = regexp.MustCompile(`^[0-9a-f]{32}\.(png|jpg|gif|webp)$`)

// validAvatarName reports whether name is a key this app generated, so
// the avatar route cannot be pointed at any other object.
func validAvatarName(name string) bool { return avatarName.MatchString(name) }

var (
	errAvatarType  = errors.New("must be a PNG, JPEG, GIF or WebP image")
	errAvatarImage = errors.New("could not be read as an image (is the file damaged?)")
	errAvatarSides = fmt.Errorf("must be at most %d×%d pixels", maxAvatarSide, maxAvatarSide)
)

// checkAvatar sniffs the uploaded bytes (ignoring the file name and the
// browser's claimed type) and decodes them completely, returning the
// content type to store.
func checkAvatar(data []byte) (contentType, ext string, err error) {
	contentType = http.DetectContentType(data)
	t, ok := avatarTypes[contentType]
	if !ok {
		return "", "", errAvatarType
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != t.format {
		return "", "", errAvatarImage
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxAvatarSide || cfg.Height > maxAvatarSide {
		return "", "", errAvatarSides
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", "", errAvatarImage
	}
	return contentType, t.ext, nil
}

// storeAvatar puts a checked image into S3 under a new random key and
// returns the key. Keys are never reused, so the avatar URL can be cached
// forever.
func (a *App) storeAvatar(ctx context.Context, data []byte, contentType, ext string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := avatarPrefix + hex.EncodeToString(b) + ext
	_, err := a.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:       aws.String(a.avatarBucket),
		Key:          aws.String(key),
		Body:         bytes.NewReader(data),
		ContentType:  aws.String(contentType),
		CacheControl: aws.String(immutableCache),
	})
	return key, err
}

// deleteAvatar removes an avatar object; failures are only logged (an
// orphaned object costs storage, not correctness).
func (a *App) deleteAvatar(ctx context.Context, key string) {
	if key == "" {
		return
	}
	if _, err := a.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(a.avatarBucket), Key: aws.String(key)}); err != nil {
		a.log.Warn("delete avatar", "key", key, "err", err)
	}
}

package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// avatarPrefix is where avatars live in the avatar bucket, apart from the
// deployer's static/ files: the app writes, serves and deletes only keys
// under it that match avatarKey, and the data service accepts only keys
// of that pattern carrying the user's own id.
const avatarPrefix = "avatars/"

// avatarKey is the key of an avatar this app stored for a user:
// avatars/<user id>/<32 hex digits>.<ext>. legacyAvatarKey is the
// pattern of earlier builds (no user id); such avatars are still shown
// but never deleted, since nothing proves whose they are.
var (
	avatarKey       = regexp.MustCompile(`^avatars/([1-9][0-9]{0,18})/([0-9a-f]{32}\.(?:png|jpg|gif|webp))$`)
	legacyAvatarKey = regexp.MustCompile(`^avatars/[0-9a-f]{32}\.(?:png|jpg|gif|webp)$`)
)

// validAvatarKey reports whether key is an avatar key this app generates
// (either pattern), so the avatar route cannot be pointed at any other
// object.
func validAvatarKey(key string) bool {
	return avatarKey.MatchString(key) || legacyAvatarKey.MatchString(key)
}

// ownAvatarKey reports whether key is an avatar this app stored for the
// user userID: the only keys it will ever delete on that user's behalf.
func ownAvatarKey(key string, userID int64) bool {
	m := avatarKey.FindStringSubmatch(key)
	return m != nil && m[1] == strconv.FormatInt(userID, 10)
}

// storeAvatar puts a checked image into S3 under a new random key in the
// user's own part of the avatar prefix and returns the key. Keys are never
// reused, so the avatar URL can be cached forever.
func (a *App) storeAvatar(ctx context.Context, userID int64, data []byte, contentType, ext string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	key := avatarPrefix + strconv.FormatInt(userID, 10) + "/" + hex.EncodeToString(b) + ext
	_, err := a.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:       aws.String(a.avatarBucket),
		Key:          aws.String(key),
		Body:         bytes.NewReader(data),
		ContentType:  aws.String(contentType),
		CacheControl: aws.String(immutableCache),
	})
	return key, err
}

// deleteAvatar removes userID's avatar object key. Any other key — the
// default "", a static file, another user's avatar, a legacy key — is
// left alone: the key comes from the user's profile, which the user
// controls. Failures are only logged (an orphaned object costs storage,
// not correctness).
func (a *App) deleteAvatar(ctx context.Context, userID int64, key string) {
	if !ownAvatarKey(key, userID) {
		if key != "" {
			a.log.Warn("not deleting an avatar key that is not the user's", "user", userID, "key", key)
		}
		return
	}
	if _, err := a.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(a.avatarBucket), Key: aws.String(key)}); err != nil {
		a.log.Warn("delete avatar", "key", key, "err", err)
	}
}

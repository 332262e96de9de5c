package deploy

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io/fs"
	"mime"
	"path"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// ensureBucket creates the bucket unless this account already owns it.
func (d *Deployer) ensureBucket(ctx context.Context, res *Result) error {
	if _, err := d.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(d.cfg.Bucket)}); err == nil {
		d.log.Info("bucket exists", "bucket", d.cfg.Bucket)
		return nil
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(d.cfg.Bucket)}
	// us-east-1 is the one region that refuses an explicit LocationConstraint.
	if region := d.cfg.AWS.Region; region != "" && region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	_, err := d.s3.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	if errors.As(err, &owned) {
		return nil
	}
	if err != nil {
		return err
	}
	d.log.Info("bucket created", "bucket", d.cfg.Bucket)
	res.changed("bucket")
	return nil
}

// uploadStatic puts every static file whose content differs from the
// stored object (compared by ETag, the MD5 of a single-part upload).
func (d *Deployer) uploadStatic(ctx context.Context, res *Result) error {
	if d.cfg.Static == nil {
		return nil
	}
	total := 0
	err := fs.WalkDir(d.cfg.Static, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		total++
		data, err := fs.ReadFile(d.cfg.Static, p)
		if err != nil {
			return err
		}
		sum := md5.Sum(data)
		etag := `"` + hex.EncodeToString(sum[:]) + `"`
		key := StaticKey(p)
		head, err := d.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(d.cfg.Bucket), Key: aws.String(key)})
		if err == nil && aws.ToString(head.ETag) == etag {
			return nil
		}
		var apiErr smithy.APIError
		if err != nil && !(errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NotFound" || apiErr.ErrorCode() == "NoSuchKey")) {
			return err
		}
		_, err = d.s3.PutObject(ctx, &s3.PutObjectInput{
			Bucket:       aws.String(d.cfg.Bucket),
			Key:          aws.String(key),
			Body:         bytes.NewReader(data),
			ContentType:  aws.String(contentType(p)),
			CacheControl: aws.String(cacheControl(p)),
		})
		if err != nil {
			return err
		}
		res.Uploaded++
		return nil
	})
	if err != nil {
		return err
	}
	d.log.Info("static files published", "bucket", d.cfg.Bucket, "files", total, "uploaded", res.Uploaded)
	if res.Uploaded > 0 {
		res.changed("static files")
	}
	return nil
}

// StaticKey is the S3 key of a static file: its path under "static/".
func StaticKey(p string) string { return "static/" + strings.TrimPrefix(p, "/") }

// contentHashed matches names that carry a hash of their content
// ("style.1a2b3c4d5e.css"): the app publishes its static files that way.
var contentHashed = regexp.MustCompile(`\.[0-9a-f]{10,}\.[A-Za-z0-9]+$`)

// cacheControl lets browsers keep content-hashed files for a year (a
// change gets a new name, so nothing stale is ever served) and anything
// else for five minutes. Old hashed files are left in the bucket on
// purpose: pages rendered by a replica that has not been replaced yet
// still reference them during a rolling deploy.
func cacheControl(p string) string {
	if contentHashed.MatchString(p) {
		return "public, max-age=31536000, immutable"
	}
	return "public, max-age=300"
}

func contentType(p string) string {
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

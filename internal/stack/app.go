package stack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/coolroom/testbed/app"
	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/internal/config"
)

// AppOptions wire one web-app replica to a deployed system.
type AppOptions struct {
	Logger *slog.Logger
	AWS    aws.Config
	// Endpoint is the emulator's or LocalStack's URL; empty for real AWS.
	Endpoint string
	// InvokeURL is the data API's base URL (API Gateway).
	InvokeURL      string
	Bucket         string
	AvatarBucket   string
	AvatarMaxBytes int64
	// SessionSecret encrypts session cookies; every replica needs the same.
	// Empty generates one (sessions then live as long as this replica).
	SessionSecret string
	// SessionSecretPrevious, during a rotation, still opens cookies the
	// replaced secret sealed; empty when there is none.
	SessionSecretPrevious string
	PollInterval          time.Duration
	// OnPage receives each page view (see app.Config.OnPage).
	OnPage func(app.PageView)
}

// NewApp builds the web app for a deployed system: its S3 client, its data
// API client, and the avatar bucket when it is a separate one. `coolroom up`
// and `coolroom app` (a container replica) both use it.
func NewApp(ctx context.Context, o AppOptions) (*app.App, error) {
	s3c := S3Client(o.AWS, o.Endpoint)
	if o.AvatarBucket != "" && o.AvatarBucket != o.Bucket {
		if err := ensureBucket(ctx, s3c, o.AvatarBucket, o.AWS.Region); err != nil {
			return nil, fmt.Errorf("avatar bucket %s: %w", o.AvatarBucket, err)
		}
	}
	secret := o.SessionSecret
	if secret == "" {
		secret = config.NewSecret()
	}
	return app.New(app.Config{
		Logger:             o.Logger,
		Data:               dataapi.New(o.InvokeURL, nil),
		S3:                 s3c,
		Bucket:             o.Bucket,
		AvatarBucket:       o.AvatarBucket,
		AvatarMaxBytes:     o.AvatarMaxBytes,
		SessionKey:         []byte(secret),
		PreviousSessionKey: []byte(o.SessionSecretPrevious),
		PollInterval:       o.PollInterval,
		OnPage:             o.OnPage,
	})
}

// ensureBucket creates the avatar bucket unless this account owns it.
func ensureBucket(ctx context.Context, c *s3.Client, bucket, region string) error {
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)}); err == nil {
		return nil
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(bucket)}
	if region != "" && region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err := c.CreateBucket(ctx, in)
	var owned *s3types.BucketAlreadyOwnedByYou
	if errors.As(err, &owned) {
		return nil
	}
	return err
}

// S3Client is an S3 client for the stack's AWS side: endpoint is the
// emulator's or LocalStack's URL (path-style), empty for real AWS.
func S3Client(cfg aws.Config, endpoint string) *s3.Client {
	return s3.NewFromConfig(cfg, func(opt *s3.Options) {
		if endpoint != "" {
			opt.BaseEndpoint = aws.String(endpoint)
			opt.UsePathStyle = true
		}
	})
}

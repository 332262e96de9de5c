package s3

import (
	"net/url"
	"strconv"
	"time"
)

// Presigned URLs carry their authentication in the query string. Like
// LocalStack, the emulator accepts any credentials and does not verify the
// signature, but it does enforce what a client can get wrong without
// knowing any secret: the parameters must be well formed and the URL must
// not have expired.

const (
	// sigV4DateFormat is X-Amz-Date's ISO 8601 basic format.
	sigV4DateFormat = "20060102T150405Z"
	// maxPresignExpiry is the longest X-Amz-Expires S3 accepts: one week.
	maxPresignExpiry = 7 * 24 * 60 * 60
	// presignClockSkew is how far in the future X-Amz-Date may be before a
	// URL is "not valid yet" (S3 tolerates 15 minutes of clock skew).
	presignClockSkew = 15 * time.Minute
)

// checkPresigned validates query-string authentication, SigV4
// (X-Amz-Algorithm...) or the legacy SigV2 (AWSAccessKeyId, Expires,
// Signature). Requests without it pass unchanged.
func (s *Service) checkPresigned(q url.Values) *apiError {
	if len(q) == 0 {
		return nil
	}
	switch {
	case q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Signature"):
		return s.checkPresignedV4(q)
	case q.Has("AWSAccessKeyId") && q.Has("Signature"):
		return s.checkPresignedV2(q)
	}
	return nil
}

func (s *Service) checkPresignedV4(q url.Values) *apiError {
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if q.Get(p) == "" {
			return errorf(ErrAuthorizationQueryParametersError, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
	}
	if alg := q.Get("X-Amz-Algorithm"); alg != "AWS4-HMAC-SHA256" && alg != "AWS4-ECDSA-P256-SHA256" {
		return errorf(ErrAuthorizationQueryParametersError, `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`)
	}
	signed, err := time.Parse(sigV4DateFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return errorf(ErrAuthorizationQueryParametersError, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	expires, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	switch {
	case err != nil:
		return errorf(ErrAuthorizationQueryParametersError, "X-Amz-Expires should be a number")
	case expires < 0:
		return errorf(ErrAuthorizationQueryParametersError, "X-Amz-Expires must be non-negative")
	case expires > maxPresignExpiry:
		return errorf(ErrAuthorizationQueryParametersError, "X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	now := s.now().UTC()
	if signed.Sub(now) > presignClockSkew {
		return errorf(ErrAccessDenied, "Request is not valid yet")
	}
	deadline := signed.Add(time.Duration(expires) * time.Second)
	if now.After(deadline) {
		return errorf(ErrAccessDenied, "Request has expired").
			with("X-Amz-Expires", strconv.FormatInt(expires, 10)).
			with("Expires", deadline.Format(time.RFC3339)).
			with("ServerTime", now.Format(time.RFC3339))
	}
	return nil
}

// checkPresignedV2 enforces the legacy Expires parameter (Unix seconds).
func (s *Service) checkPresignedV2(q url.Values) *apiError {
	sec, err := strconv.ParseInt(q.Get("Expires"), 10, 64)
	if err != nil {
		return errorf(ErrAccessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
	}
	now := s.now().UTC()
	if deadline := time.Unix(sec, 0).UTC(); now.After(deadline) {
		return errorf(ErrAccessDenied, "Request has expired").
			with("Expires", deadline.Format(time.RFC3339)).
			with("ServerTime", now.Format(time.RFC3339))
	}
	return nil
}

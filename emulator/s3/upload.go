package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxObjectSize is the largest object a single PutObject may create (5 GiB);
// bigger objects need multipart upload, which the emulator does not offer.
const maxObjectSize int64 = 5 << 30

// maxPrealloc caps how much memory is reserved up front from a
// client-declared length, so a lying Content-Length cannot make the emulator
// allocate gigabytes before a byte has arrived.
const maxPrealloc = 64 << 20

// upload is a fully received and verified PutObject payload.
type upload struct {
	data     []byte
	md5      [md5.Size]byte
	checksum objectChecksum
}

// objectChecksum is the additional checksum stored with an object.
type objectChecksum struct {
	algorithm checksumAlgorithm
	value     string // base64
}

// readUpload reads the PutObject body, removing aws-chunked framing, and
// verifies every integrity claim the client made (Content-MD5,
// x-amz-content-sha256, x-amz-checksum-* as header or trailer). Nothing is
// stored unless all of them hold.
func readUpload(r *http.Request) (*upload, *apiError) {
	h := r.Header
	chunked := isAWSChunked(h)

	// The size S3 checks against the 5 GiB limit is the payload size: for
	// aws-chunked bodies Content-Length includes the framing, so the decoded
	// length announced by the client is used instead.
	declared := r.ContentLength
	if chunked {
		declared = -1
		if v := h.Get("X-Amz-Decoded-Content-Length"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, errorf(ErrInvalidArgument, "x-amz-decoded-content-length %q is not a valid length", v)
			}
			declared = n
		}
	}
	if declared > maxObjectSize {
		return nil, errEntityTooLarge(declared)
	}

	var body io.Reader = r.Body
	var dechunker *awsChunkedReader
	if chunked {
		dechunker = newAWSChunkedReader(r.Body)
		body = dechunker
	}
	data, aerr := readLimited(body, declared, maxObjectSize)
	if aerr != nil {
		return nil, aerr
	}
	if declared >= 0 && int64(len(data)) != declared {
		return nil, errorf(ErrIncompleteBody, "The request body has %d bytes but %d were announced", len(data), declared)
	}

	up := &upload{data: data, md5: md5.Sum(data)}
	if aerr := verifyContentMD5(h, up.md5); aerr != nil {
		return nil, aerr
	}
	if !chunked {
		if aerr := verifyContentSHA256(h, data); aerr != nil {
			return nil, aerr
		}
	}
	var trailer http.Header
	if dechunker != nil {
		trailer = dechunker.Trailer()
	}
	ck, aerr := verifyChecksum(h, trailer, data)
	if aerr != nil {
		return nil, aerr
	}
	up.checksum = ck
	return up, nil
}

// readLimited reads r completely, failing with EntityTooLarge past limit.
func readLimited(r io.Reader, sizeHint, limit int64) ([]byte, *apiError) {
	var buf bytes.Buffer
	if sizeHint > 0 {
		buf.Grow(int(min(sizeHint, maxPrealloc)))
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	switch {
	case errors.Is(err, errChunkTrailer):
		return nil, errorf(ErrMalformedTrailer, "%s: %v", ErrMalformedTrailer.defaultMessage(), err)
	case errors.Is(err, errChunkFraming):
		return nil, errorf(ErrIncompleteBody, "The aws-chunked request body is malformed: %v", err)
	case err != nil:
		return nil, errorf(ErrIncompleteBody, "%s (%v)", ErrIncompleteBody.defaultMessage(), err)
	case n > limit:
		return nil, errEntityTooLarge(n)
	}
	return buf.Bytes(), nil
}

// verifyContentMD5 checks the optional Content-MD5 header.
func verifyContentMD5(h http.Header, sum [md5.Size]byte) *apiError {
	v, present := headerValue(h, "Content-Md5")
	if !present {
		return nil
	}
	want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil || len(want) != md5.Size {
		return newError(ErrInvalidDigest)
	}
	if !bytes.Equal(want, sum[:]) {
		return errorf(ErrBadDigest, "The Content-MD5 you specified did not match what we received.")
	}
	return nil
}

// verifyContentSHA256 checks x-amz-content-sha256 when it is an actual hex
// digest. Over plain HTTP the SDKs sign the real payload hash, so a mismatch
// means the body was altered. The placeholder values (UNSIGNED-PAYLOAD,
// STREAMING-*) carry no digest.
func verifyContentSHA256(h http.Header, data []byte) *apiError {
	v := strings.ToLower(strings.TrimSpace(h.Get("X-Amz-Content-Sha256")))
	if len(v) != hex.EncodedLen(sha256.Size) {
		return nil
	}
	want, err := hex.DecodeString(v)
	if err != nil {
		return nil
	}
	got := sha256.Sum256(data)
	if !bytes.Equal(want, got[:]) {
		return newError(ErrXAmzContentSHA256Mismatch).
			with("ClientComputedContentSHA256", v).
			with("S3ComputedContentSHA256", hex.EncodeToString(got[:]))
	}
	return nil
}

// verifyChecksum validates the additional checksum the client sent (at most
// one, as a header or an aws-chunked trailer) and returns the checksum to
// store. Without one, S3 computes a CRC64NVME checksum for every new object
// (AWS behaviour since December 2024), so the emulator does too.
func verifyChecksum(h, trailer http.Header, data []byte) (objectChecksum, *apiError) {
	type claim struct {
		alg   checksumAlgorithm
		value string
	}
	var claims []claim
	for _, alg := range checksumAlgorithms {
		if v, ok := headerValue(h, alg.header()); ok {
			claims = append(claims, claim{alg, strings.TrimSpace(v)})
		} else if v, ok := headerValue(trailer, alg.header()); ok {
			claims = append(claims, claim{alg, strings.TrimSpace(v)})
		}
	}
	if len(claims) > 1 {
		return objectChecksum{}, errorf(ErrInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}

	// Trailers announced in x-amz-trailer must have arrived.
	for _, v := range h.Values("X-Amz-Trailer") {
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if _, ok := headerValue(trailer, name); !ok {
				return objectChecksum{}, errorf(ErrMalformedTrailer, "%s The trailer %s announced in x-amz-trailer was not sent.", ErrMalformedTrailer.defaultMessage(), name)
			}
		}
	}

	if v := h.Get("X-Amz-Sdk-Checksum-Algorithm"); v != "" {
		alg, ok := parseChecksumAlgorithm(v)
		if !ok {
			return objectChecksum{}, errorf(ErrInvalidRequest, "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
		if len(claims) == 0 || claims[0].alg != alg {
			return objectChecksum{}, errorf(ErrInvalidRequest, "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
	}

	if len(claims) == 0 {
		return objectChecksum{algorithm: algCRC64NVME, value: algCRC64NVME.sum(data)}, nil
	}
	c := claims[0]
	if !c.alg.validValue(c.value) {
		return objectChecksum{}, errorf(ErrInvalidRequest, "Value for %s header is invalid.", c.alg.header())
	}
	if got := c.alg.sum(data); got != c.value {
		return objectChecksum{}, errorf(ErrBadDigest, "The %s you specified did not match the calculated checksum.", c.alg)
	}
	return objectChecksum{algorithm: c.alg, value: c.value}, nil
}

// headerValue is Header.Get that also reports presence, so an empty
// Content-MD5 is rejected rather than ignored.
func headerValue(h http.Header, name string) (string, bool) {
	if h == nil {
		return "", false
	}
	v, ok := h[http.CanonicalHeaderKey(name)]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

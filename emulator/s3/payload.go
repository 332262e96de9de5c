package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxObjectSize is the largest object a single PutObject (or one UploadPart)
// may carry: 5 GiB.
const maxObjectSize int64 = 5 << 30

// payload is a fully received and verified request body.
type payload struct {
	data     segments
	size     int64
	md5      [md5.Size]byte
	checksum objectChecksum // zero when no checksum was asked for
}

// payloadRules tailors receivePayload to an operation.
type payloadRules struct {
	// limit is the largest payload accepted; more is EntityTooLarge.
	limit int64
	// defaultAlg is the checksum computed and stored when the client sends
	// none (CRC64NVME for PutObject, as S3 does since December 2024); empty
	// computes none.
	defaultAlg checksumAlgorithm
	// requiredAlg, when set, is the only algorithm a client checksum may
	// use: the parts of an upload created with x-amz-checksum-algorithm.
	requiredAlg checksumAlgorithm
}

// objectRules are the payload rules of PutObject.
var objectRules = payloadRules{limit: maxObjectSize, defaultAlg: algCRC64NVME}

// receivePayload streams the request body into memory exactly once,
// removing aws-chunked framing and computing MD5, the additional checksum
// and (when the client signed one) the SHA-256 on the way, then verifies
// every integrity claim the client made (Content-MD5, x-amz-content-sha256,
// x-amz-checksum-* as header or trailer). Nothing is returned unless all of
// them hold.
func receivePayload(r *http.Request, rules payloadRules) (*payload, *apiError) {
	h := r.Header
	chunked := isAWSChunked(h)

	// The size S3 checks against the limit is the payload size: for
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
	if declared > rules.limit {
		return nil, errEntityTooLarge(declared, rules.limit)
	}
	// Header claims are checked before the body is read: a contradictory
	// request fails without costing the transfer.
	claim, aerr := headerChecksumClaim(h)
	if aerr != nil {
		return nil, aerr
	}

	var body io.Reader = r.Body
	var dechunker *awsChunkedReader
	if chunked {
		dechunker = newAWSChunkedReader(r.Body)
		body = dechunker
	}

	hs := newPayloadHashes(h, chunked, predictAlgorithm(h, claim, rules), declared)
	data, size, err := readSegments(body, declared, rules.limit, hs.write)
	hs.finish()
	if aerr := bodyError(err, size, declared, rules.limit); aerr != nil {
		return nil, aerr
	}

	p := &payload{data: data, size: size}
	hs.md5.Sum(p.md5[:0])
	if aerr := verifyContentMD5(h, p.md5); aerr != nil {
		return nil, aerr
	}
	if hs.sha256 != nil {
		if aerr := verifyContentSHA256(h, hs.sha256.Sum(nil)); aerr != nil {
			return nil, aerr
		}
	}
	var trailer http.Header
	if dechunker != nil {
		trailer = dechunker.Trailer()
	}
	ck, aerr := verifyChecksum(h, trailer, claim, rules, func(alg checksumAlgorithm) string {
		if alg == hs.alg {
			return base64.StdEncoding.EncodeToString(hs.checksum.Sum(nil))
		}
		// A trailer nobody announced: hash the stored bytes again rather
		// than hashing every upload with every algorithm.
		return alg.sumSegments(data)
	})
	if aerr != nil {
		return nil, aerr
	}
	p.checksum = ck
	return p, nil
}

// readSegments reads body to its end into segments, passing every byte to
// sink once. With a declared length the segments are sized exactly (one
// allocation per segmentSize bytes, none wasted); without, they grow
// geometrically. It returns the number of bytes read; more than limit, or a
// length other than declared, is for the caller to reject.
func readSegments(body io.Reader, declared, limit int64, sink func([]byte)) (segments, int64, error) {
	var (
		data  segments
		total int64
		grow  int64 = 64 << 10
	)
	for {
		var n int64
		if declared >= 0 {
			n = min(declared-total, segmentSize)
		} else {
			n = min(grow, segmentSize, limit+1-total)
			grow *= 2
		}
		if n == 0 {
			break
		}
		buf := make([]byte, n)
		m, err := readPieces(body, buf, sink)
		if m > 0 {
			data = append(data, buf[:m])
			total += int64(m)
		}
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return data, total, nil
		case err != nil:
			return data, total, err
		}
	}
	// The declared length (or the limit) is reached: the body must end
	// here. Reading to EOF also makes an aws-chunked decoder consume the
	// final chunk and the trailers.
	var probe [1]byte
	for {
		m, err := body.Read(probe[:])
		if m > 0 {
			return data, total + 1, nil // too long; the caller rejects it
		}
		if err == io.EOF {
			return data, total, nil
		}
		if err != nil {
			return data, total, err
		}
	}
}

// hashPiece is how much of a body is received before it is handed to the
// digests, so that hashing overlaps with the arrival of the rest.
const hashPiece = 128 << 10

// readPieces fills buf like io.ReadFull, passing each received piece to
// sink as soon as it is complete.
func readPieces(body io.Reader, buf []byte, sink func([]byte)) (int, error) {
	off := 0
	for off < len(buf) {
		end := min(off+hashPiece, len(buf))
		m, err := io.ReadFull(body, buf[off:end])
		if m > 0 {
			sink(buf[off : off+m])
			off += m
		}
		if err != nil {
			if err == io.ErrUnexpectedEOF || (err == io.EOF && off > 0) {
				err = io.ErrUnexpectedEOF
			}
			return off, err
		}
	}
	return off, nil
}

// bodyError maps the outcome of readSegments to an S3 error.
func bodyError(err error, size, declared, limit int64) *apiError {
	switch {
	case errors.Is(err, errChunkTrailer):
		return errorf(ErrMalformedTrailer, "%s: %v", ErrMalformedTrailer.defaultMessage(), err)
	case errors.Is(err, errChunkFraming), errors.Is(err, errChunkUnexpectEOF):
		return errorf(ErrIncompleteBody, "The aws-chunked request body is malformed: %v", err)
	case err != nil:
		return errorf(ErrIncompleteBody, "%s (%v)", ErrIncompleteBody.defaultMessage(), err)
	case size > limit:
		return errEntityTooLarge(size, limit)
	case declared >= 0 && size != declared:
		return errorf(ErrIncompleteBody, "The request body has %d bytes but %d were announced", size, declared)
	}
	return nil
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
// means the body was altered.
func verifyContentSHA256(h http.Header, got []byte) *apiError {
	v := strings.ToLower(strings.TrimSpace(h.Get("X-Amz-Content-Sha256")))
	want, err := hex.DecodeString(v)
	if err != nil {
		return nil // not a digest after all
	}
	if !bytes.Equal(want, got) {
		return newError(ErrXAmzContentSHA256Mismatch).
			with("ClientComputedContentSHA256", v).
			with("S3ComputedContentSHA256", hex.EncodeToString(got))
	}
	return nil
}

// checksumClaim is a checksum value the client sent for the payload.
type checksumClaim struct {
	alg   checksumAlgorithm
	value string
}

// headerChecksumClaim returns the x-amz-checksum-* header, if any; S3
// accepts at most one.
func headerChecksumClaim(h http.Header) (*checksumClaim, *apiError) {
	var claim *checksumClaim
	for _, alg := range checksumAlgorithms {
		v, ok := headerValue(h, alg.header())
		if !ok {
			continue
		}
		if claim != nil {
			return nil, errMultipleChecksums()
		}
		claim = &checksumClaim{alg, strings.TrimSpace(v)}
	}
	return claim, nil
}

func errMultipleChecksums() *apiError {
	return errorf(ErrInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
}

// predictAlgorithm picks the checksum to compute while streaming: the one
// the client sends as a header, announces as a trailer or names in
// x-amz-sdk-checksum-algorithm, else the operation's default.
func predictAlgorithm(h http.Header, claim *checksumClaim, rules payloadRules) checksumAlgorithm {
	if claim != nil {
		return claim.alg
	}
	for _, v := range h.Values("X-Amz-Trailer") {
		for _, name := range strings.Split(v, ",") {
			for _, alg := range checksumAlgorithms {
				if strings.EqualFold(strings.TrimSpace(name), alg.header()) {
					return alg
				}
			}
		}
	}
	if alg, ok := parseChecksumAlgorithm(h.Get("X-Amz-Sdk-Checksum-Algorithm")); ok {
		return alg
	}
	if rules.requiredAlg != "" {
		return rules.requiredAlg
	}
	return rules.defaultAlg
}

// verifyChecksum validates the additional checksum the client sent (at most
// one, as a header or an aws-chunked trailer) and returns the checksum to
// store. sum computes the checksum of the payload for an algorithm.
func verifyChecksum(h, trailer http.Header, claim *checksumClaim, rules payloadRules, sum func(checksumAlgorithm) string) (objectChecksum, *apiError) {
	for _, alg := range checksumAlgorithms {
		v, ok := headerValue(trailer, alg.header())
		if !ok {
			continue
		}
		switch {
		case claim == nil:
			claim = &checksumClaim{alg, strings.TrimSpace(v)}
		case claim.alg != alg:
			return objectChecksum{}, errMultipleChecksums()
		}
		// The same algorithm as header and trailer: the header wins.
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
		if claim == nil || claim.alg != alg {
			return objectChecksum{}, errorf(ErrInvalidRequest, "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		}
	}

	if claim == nil {
		alg := rules.requiredAlg
		if alg == "" {
			alg = rules.defaultAlg
		}
		if alg == "" {
			return objectChecksum{}, nil
		}
		return objectChecksum{algorithm: alg, value: sum(alg), typ: checksumFullObject}, nil
	}
	if rules.requiredAlg != "" && claim.alg != rules.requiredAlg {
		return objectChecksum{}, errorf(ErrInvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s",
			strings.ToLower(string(rules.requiredAlg)), strings.ToLower(string(claim.alg)))
	}
	if !claim.alg.validValue(claim.value) {
		return objectChecksum{}, errorf(ErrInvalidRequest, "Value for %s header is invalid.", claim.alg.header())
	}
	if got := sum(claim.alg); got != claim.value {
		return objectChecksum{}, errorf(ErrBadDigest, "The %s you specified did not match the calculated checksum.", claim.alg)
	}
	return objectChecksum{algorithm: claim.alg, value: claim.value, typ: checksumFullObject}, nil
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

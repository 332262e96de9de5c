package s3

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/http"
	"sync"
)

// payloadHashes are the digests computed while a body streams in: always
// MD5 (the ETag), the additional checksum, and SHA-256 when the client
// signed the payload hash.
//
// For large bodies the digests run in two goroutines ("lanes"): MD5 in
// one, SHA-256 and the checksum in the other, each fed pieces of the body
// as they arrive. MD5 is the slowest and cannot be split, so this makes an
// upload cost about one MD5 pass of wall time instead of the sum of all
// digests, and lets hashing overlap with receiving.
type payloadHashes struct {
	md5      hash.Hash
	sha256   hash.Hash // nil unless x-amz-content-sha256 is a hex digest
	alg      checksumAlgorithm
	checksum hash.Hash // nil when alg is empty

	lanes []chan []byte // nil: hash inline
	wg    sync.WaitGroup
}

// parallelHashThreshold is the body size from which the lanes are worth
// their two goroutines.
const parallelHashThreshold = 256 << 10

// newPayloadHashes prepares the digests for a body of the declared size
// (-1 when unknown).
func newPayloadHashes(h http.Header, chunked bool, alg checksumAlgorithm, declared int64) *payloadHashes {
	hs := &payloadHashes{md5: md5.New(), alg: alg}
	// Over plain HTTP the SDKs sign the real payload hash; aws-chunked
	// bodies carry a STREAMING-* placeholder instead, and UNSIGNED-PAYLOAD
	// no digest at all.
	if !chunked && len(h.Get("X-Amz-Content-Sha256")) == hex.EncodedLen(sha256.Size) {
		hs.sha256 = sha256.New()
	}
	if alg != "" {
		hs.checksum = alg.newHash()
	}
	if declared < 0 || declared >= parallelHashThreshold {
		hs.startLanes()
	}
	return hs
}

func (hs *payloadHashes) startLanes() {
	var others []hash.Hash
	for _, h := range []hash.Hash{hs.sha256, hs.checksum} {
		if h != nil {
			others = append(others, h)
		}
	}
	for _, group := range [][]hash.Hash{{hs.md5}, others} {
		if len(group) == 0 {
			continue
		}
		// The pieces are already stored, so the buffer only decouples
		// the reader from a lagging digest; it holds slices, not bytes.
		ch := make(chan []byte, 256)
		hs.lanes = append(hs.lanes, ch)
		hs.wg.Go(func() {
			for p := range ch {
				for _, h := range group {
					_, _ = h.Write(p)
				}
			}
		})
	}
}

// write feeds one received piece to every digest. The piece must not be
// modified afterwards.
func (hs *payloadHashes) write(p []byte) {
	if hs.lanes != nil {
		for _, ch := range hs.lanes {
			ch <- p
		}
		return
	}
	_, _ = hs.md5.Write(p)
	if hs.sha256 != nil {
		_, _ = hs.sha256.Write(p)
	}
	if hs.checksum != nil {
		_, _ = hs.checksum.Write(p)
	}
}

// finish waits until every piece is digested. It must be called once,
// after the last write, before any Sum.
func (hs *payloadHashes) finish() {
	for _, ch := range hs.lanes {
		close(ch)
	}
	hs.wg.Wait()
}

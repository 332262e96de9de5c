package s3

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"strings"
)

// checksumAlgorithm is an S3 additional-checksum algorithm, spelt as in
// x-amz-sdk-checksum-algorithm and the ChecksumAlgorithm XML element.
type checksumAlgorithm string

const (
	algCRC32     checksumAlgorithm = "CRC32"
	algCRC32C    checksumAlgorithm = "CRC32C"
	algCRC64NVME checksumAlgorithm = "CRC64NVME"
	algSHA1      checksumAlgorithm = "SHA1"
	algSHA256    checksumAlgorithm = "SHA256"
)

// checksumAlgorithms lists the supported algorithms in a fixed order so that
// header scans are deterministic.
var checksumAlgorithms = []checksumAlgorithm{algCRC32, algCRC32C, algCRC64NVME, algSHA1, algSHA256}

// crc64NVMETable implements CRC-64/NVME with the standard library: hash/crc64
// takes the bit-reversed polynomial (0xAD93D23594C93659 reversed) and already
// applies the all-ones init/xorout this CRC uses. It is the same table the AWS
// SDKs build, so CRC64NVME checksums are verified, not just accepted.
var crc64NVMETable = crc64.MakeTable(0x9a6c9329ac4bc9b5)

var crc32CTable = crc32.MakeTable(crc32.Castagnoli)

// parseChecksumAlgorithm accepts the algorithm names case-insensitively, as
// S3 does for x-amz-sdk-checksum-algorithm.
func parseChecksumAlgorithm(s string) (checksumAlgorithm, bool) {
	a := checksumAlgorithm(strings.ToUpper(strings.TrimSpace(s)))
	for _, known := range checksumAlgorithms {
		if a == known {
			return a, true
		}
	}
	return "", false
}

// header is the request/response header carrying the checksum value.
func (a checksumAlgorithm) header() string {
	return "x-amz-checksum-" + strings.ToLower(string(a))
}

// newHash returns a fresh hash for the algorithm.
func (a checksumAlgorithm) newHash() hash.Hash {
	switch a {
	case algCRC32:
		return crc32.NewIEEE()
	case algCRC32C:
		return crc32.New(crc32CTable)
	case algCRC64NVME:
		return crc64.New(crc64NVMETable)
	case algSHA1:
		return sha1.New()
	case algSHA256:
		return sha256.New()
	}
	panic("s3: unknown checksum algorithm " + string(a))
}

// sum returns the base64 checksum of data, the encoding S3 uses in headers
// and XML.
func (a checksumAlgorithm) sum(data []byte) string {
	h := a.newHash()
	_, _ = h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// validValue reports whether v is a well-formed base64 checksum for the
// algorithm; S3 answers InvalidRequest (not BadDigest) when it is not.
func (a checksumAlgorithm) validValue(v string) bool {
	raw, err := base64.StdEncoding.DecodeString(v)
	return err == nil && len(raw) == a.newHash().Size()
}

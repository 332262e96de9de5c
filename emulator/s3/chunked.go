package s3

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// aws-chunked is the body framing the AWS SDKs use for streaming uploads
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html):
//
//	hex-size[;chunk-signature=sig]\r\n
//	data\r\n
//	...
//	0[;chunk-signature=sig]\r\n
//	trailer-name:value\r\n        (zero or more, e.g. x-amz-checksum-crc32)
//	\r\n
//
// It is independent of HTTP/1.1 Transfer-Encoding: chunked, which net/http
// has already removed by the time the handler sees the body. Chunk and
// trailer signatures are not verified: like LocalStack, the emulator accepts
// any credentials.

// Sentinel errors of the decoder; readLimited maps them to S3 error codes.
var (
	errChunkFraming     = errors.New("malformed aws-chunked framing")
	errChunkTrailer     = errors.New("malformed aws-chunked trailer")
	errChunkUnexpectEOF = errors.New("aws-chunked body ended early")
)

// maxChunkLineLength bounds a chunk header or trailer line; real ones are
// well under 200 bytes, so anything longer is garbage, not a reason to buffer.
const maxChunkLineLength = 4096

// isAWSChunked reports whether the request body uses aws-chunked framing.
// The SDKs announce it both through Content-Encoding and through a
// STREAMING-* payload hash; either is enough.
func isAWSChunked(h http.Header) bool {
	if strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		return true
	}
	for _, v := range h.Values("Content-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(enc), "aws-chunked") {
				return true
			}
		}
	}
	return false
}

// storedContentEncoding removes the aws-chunked transport token from a
// Content-Encoding header: S3 keeps only the content's own encodings
// (e.g. "aws-chunked,gzip" is stored as "gzip"). Everything else is kept
// byte for byte, spacing included ("gzip, br" comes back as "gzip, br"),
// because S3 returns the header exactly as it was sent.
func storedContentEncoding(h http.Header) string {
	var kept []string
	for _, v := range h.Values("Content-Encoding") {
		var tokens []string
		for _, enc := range strings.Split(v, ",") {
			if !strings.EqualFold(strings.TrimSpace(enc), "aws-chunked") {
				tokens = append(tokens, enc)
			}
		}
		if v = strings.TrimSpace(strings.Join(tokens, ",")); v != "" {
			kept = append(kept, v)
		}
	}
	return strings.Join(kept, ", ")
}

// awsChunkedReader decodes an aws-chunked body into the raw payload. It is a
// streaming io.Reader so that the framing never has to be held in memory and
// a future non-[]byte store can reuse it. The trailers are available once
// Read has returned io.EOF.
type awsChunkedReader struct {
	br        *bufio.Reader
	remaining int64 // payload bytes left in the current chunk
	inChunk   bool  // a chunk's data has started and its CRLF is still due
	err       error // sticky: io.EOF after a clean end
	trailer   http.Header
}

func newAWSChunkedReader(r io.Reader) *awsChunkedReader {
	return &awsChunkedReader{br: bufio.NewReaderSize(r, 64<<10), trailer: http.Header{}}
}

// Trailer returns the trailing headers (e.g. X-Amz-Checksum-Crc32). It is
// complete only after Read returned io.EOF.
func (c *awsChunkedReader) Trailer() http.Header { return c.trailer }

func (c *awsChunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	for c.remaining == 0 {
		if c.inChunk {
			if err := c.expectCRLF(); err != nil {
				c.err = err
				return 0, err
			}
			c.inChunk = false
		}
		size, err := c.readChunkHeader()
		if err != nil {
			c.err = err
			return 0, err
		}
		if size == 0 {
			c.err = c.readTrailers()
			if c.err == nil {
				c.err = io.EOF
			}
			return 0, c.err
		}
		c.remaining, c.inChunk = size, true
	}
	if int64(len(p)) > c.remaining {
		p = p[:c.remaining]
	}
	n, err := c.br.Read(p)
	c.remaining -= int64(n)
	if err == io.EOF {
		err = errChunkUnexpectEOF
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// readChunkHeader parses "hex-size[;extensions]".
func (c *awsChunkedReader) readChunkHeader() (int64, error) {
	line, err := c.readLine()
	if err != nil {
		if err == io.EOF {
			return 0, errChunkUnexpectEOF
		}
		return 0, err
	}
	sizeField, _, _ := strings.Cut(line, ";")
	size, perr := strconv.ParseInt(strings.TrimSpace(sizeField), 16, 64)
	if perr != nil || size < 0 {
		return 0, fmt.Errorf("%w: bad chunk size line %q", errChunkFraming, truncate(line, 64))
	}
	return size, nil
}

// readTrailers consumes "name:value" lines up to the terminating empty line.
// A body that ends right after the last chunk or trailer without the final
// CRLF is tolerated: every byte of payload and every trailer has arrived.
func (c *awsChunkedReader) readTrailers() error {
	for {
		line, err := c.readLine()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if line == "" {
			return nil
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("%w: line %q", errChunkTrailer, truncate(line, 64))
		}
		c.trailer.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
}

// readLine returns the next line without its CRLF (a bare LF is accepted
// too). io.EOF is returned only when no byte of the line was read.
func (c *awsChunkedReader) readLine() (string, error) {
	line, err := c.br.ReadSlice('\n')
	switch {
	case err == bufio.ErrBufferFull || len(line) > maxChunkLineLength:
		return "", fmt.Errorf("%w: line longer than %d bytes", errChunkFraming, maxChunkLineLength)
	case err == io.EOF && len(line) > 0:
		// Last line without terminator: accept it, the caller decides.
		return strings.TrimRight(string(line), "\r"), nil
	case err != nil:
		return "", err
	}
	return strings.TrimRight(strings.TrimSuffix(string(line), "\n"), "\r"), nil
}

func (c *awsChunkedReader) expectCRLF() error {
	var b [2]byte
	if _, err := io.ReadFull(c.br, b[:]); err != nil {
		return errChunkUnexpectEOF
	}
	if b != [2]byte{'\r', '\n'} {
		return fmt.Errorf("%w: chunk data not followed by CRLF (chunk size larger than its data?)", errChunkFraming)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

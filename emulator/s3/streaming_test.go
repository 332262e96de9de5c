package s3_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/coolroom/testbed/internal/config"
)

// patternReader yields n bytes of a repeated pseudo-random block without
// holding them, so the client side of the test allocates almost nothing
// and the memory measured is the emulator's.
type patternReader struct {
	block []byte
	off   int64
	n     int64
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	i := int(p.off % int64(len(p.block)))
	k := copy(b[:min(int64(len(b)), p.n-p.off)], p.block[i:])
	p.off += int64(k)
	return k, nil
}

// Seek lets the SDK hash the body before sending it, as it does for any
// seekable body over plain HTTP.
func (p *patternReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
		p.off = offset
	case io.SeekCurrent:
		p.off += offset
	case io.SeekEnd:
		p.off = p.n + offset
	}
	return p.off, nil
}

func memStats() runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// TestLargeObjectStreams puts and gets a large object through the SDK and
// checks that the emulator holds it once: the PUT allocates about the
// object's size in total (no re-growing buffer, no second copy), and the
// GET streams from the stored bytes without allocating a copy.
func TestLargeObjectStreams(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	mustCreateBucket(t, e, "large")
	size := int64(128 << 20)
	if testing.Short() {
		size = 64 << 20
	}
	// S3_LARGE_OBJECT_MIB=1024 runs the 1 GiB case by hand; it is
	// too slow and too big for every run.
	mib, _ := config.Get(os.LookupEnv, "S3_LARGE_OBJECT_MIB")
	if v, err := strconv.Atoi(mib); err == nil && v > 0 {
		size = int64(v) << 20
	}
	block := randomBytes(1<<20+17, 7) // odd length: blocks do not align with segments
	want := md5.New()
	if _, err := io.Copy(want, &patternReader{block: block, n: size}); err != nil {
		t.Fatal(err)
	}
	wantETag := `"` + hex.EncodeToString(want.Sum(nil)) + `"`

	runtime.GC()
	before := memStats()
	put, err := e.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("large"), Key: aws.String("blob"),
		Body: &patternReader{block: block, n: size},
	})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
	afterPut := memStats()
	if aws.ToString(put.ETag) != wantETag {
		t.Fatalf("ETag = %s, want %s", aws.ToString(put.ETag), wantETag)
	}
	allocated := afterPut.TotalAlloc - before.TotalAlloc
	t.Logf("PUT of %d MiB allocated %d MiB in total", size>>20, allocated>>20)
	if allocated > uint64(2*size) {
		t.Errorf("PUT allocated %d MiB for a %d MiB object: the body is buffered more than once", allocated>>20, size>>20)
	}
	runtime.GC()
	held := int64(memStats().HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap held after PUT: %d MiB", held>>20)
	if held > size+size/8 {
		t.Errorf("the stored %d MiB object holds %d MiB of heap", size>>20, held>>20)
	}

	beforeGet := memStats()
	out, err := e.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("large"), Key: aws.String("blob")})
	if err != nil {
		t.Fatalf("GetObject: %v", err)
	}
	got := md5.New()
	n, err := io.Copy(got, out.Body)
	out.Body.Close()
	if err != nil || n != size {
		t.Fatalf("GetObject read %d bytes, %v", n, err)
	}
	if etag := `"` + hex.EncodeToString(got.Sum(nil)) + `"`; etag != wantETag {
		t.Fatalf("GET body MD5 %s, want %s", etag, wantETag)
	}
	getAlloc := memStats().TotalAlloc - beforeGet.TotalAlloc
	t.Logf("GET of %d MiB allocated %d KiB in total", size>>20, getAlloc>>10)
	if getAlloc > uint64(size/16) {
		t.Errorf("GET allocated %d MiB for a %d MiB object: it copies the body", getAlloc>>20, size>>20)
	}
}

// TestLargeChunkedUploadStreams sends a large aws-chunked body with a
// trailing checksum (what the SDKs send for unseekable bodies over TLS)
// and checks that decoding it stores the payload once as well.
func TestLargeChunkedUploadStreams(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e, "chunked")
	size := int64(64 << 20)
	block := randomBytes(1<<20+17, 9)

	pr, pw := io.Pipe()
	go func() {
		src := &patternReader{block: block, n: size}
		crc := crc32.NewIEEE()
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				crc.Write(buf[:n])
				fmt.Fprintf(pw, "%x\r\n", n)
				pw.Write(buf[:n])
				io.WriteString(pw, "\r\n")
			}
			if err != nil {
				break
			}
		}
		fmt.Fprintf(pw, "0\r\nx-amz-checksum-crc32:%s\r\n\r\n", b64(crc.Sum(nil)))
		pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPut, e.srv.URL+"/chunked/blob", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Content-Sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(size, 10))
	req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")

	runtime.GC()
	before := memStats()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("chunked PUT = %d %s", res.StatusCode, body)
	}
	allocated := memStats().TotalAlloc - before.TotalAlloc
	t.Logf("aws-chunked PUT of %d MiB allocated %d MiB in total", size>>20, allocated>>20)
	if allocated > uint64(2*size) {
		t.Errorf("aws-chunked PUT allocated %d MiB for %d MiB", allocated>>20, size>>20)
	}
	head := e.do(t, http.MethodHead, "/chunked/blob", nil, map[string]string{"x-amz-checksum-mode": "ENABLED"})
	if head.header.Get("Content-Length") != strconv.FormatInt(size, 10) || head.header.Get("x-amz-checksum-crc32") == "" {
		t.Errorf("stored object: length %s, crc32 %q", head.header.Get("Content-Length"), head.header.Get("x-amz-checksum-crc32"))
	}
}

package s3_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	s3emu "github.com/coolroom/testbed/emulator/s3"
)

// benchTargets are the servers compared, each behind a real loopback HTTP
// server and driven by the same default SDK client configuration.
func benchTargets() []struct {
	name    string
	handler func() http.Handler
} {
	return []struct {
		name    string
		handler func() http.Handler
	}{
		{"emulator", func() http.Handler { return s3emu.New(nil) }},
		{"gofakes3", func() http.Handler { return gofakes3.New(s3mem.New()).Server() }},
		// ceiling is not an S3 at all: it drains PUT bodies and answers
		// every GET with the same preallocated 1 MiB. What it measures is
		// the cost of the SDK client and loopback HTTP alone, the floor
		// under any server's figure.
		{"ceiling", func() http.Handler { return ceilingHandler() }},
	}
}

// ceilingHandler is the do-nothing server of the "ceiling" benchmarks.
func ceilingHandler() http.Handler {
	body := make([]byte, benchObjectSize)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPut:
			_, _ = io.Copy(io.Discard, r.Body)
			w.Header().Set("ETag", `"0"`)
		case http.MethodGet:
			w.Header().Set("Content-Length", "1048576")
			_, _ = w.Write(body)
		}
	})
}

const benchObjectSize = 1 << 20

// benchClient starts h and returns an SDK client for it with a bucket.
func benchClient(b *testing.B, h http.Handler) *s3.Client {
	b.Helper()
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	// A transport that keeps enough idle connections for sequential reuse.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	b.Cleanup(tr.CloseIdleConnections)
	client := newClient(b, srv.URL, "us-east-1", &http.Client{Transport: tr})
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatalf("CreateBucket: %v", err)
	}
	return client
}

// BenchmarkPutObject1MiB measures PutObject throughput for 1 MiB objects
// through the real SDK (which signs the payload hash and adds a CRC32 over
// plain HTTP, as applications do).
func BenchmarkPutObject1MiB(b *testing.B) {
	body := randomBytes(benchObjectSize, 42)
	for _, target := range benchTargets() {
		b.Run(target.name, func(b *testing.B) {
			client := benchClient(b, target.handler())
			ctx := context.Background()
			rd := bytes.NewReader(body)
			b.SetBytes(benchObjectSize)
			b.ResetTimer()
			for b.Loop() {
				rd.Reset(body)
				if _, err := client.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String("bench"), Key: aws.String("obj"), Body: rd,
				}); err != nil {
					b.Fatalf("PutObject: %v", err)
				}
			}
		})
	}
}

// BenchmarkGetObject1MiB measures GetObject throughput for a 1 MiB object
// through the real SDK, reading the whole body.
func BenchmarkGetObject1MiB(b *testing.B) {
	body := randomBytes(benchObjectSize, 43)
	for _, target := range benchTargets() {
		b.Run(target.name, func(b *testing.B) {
			client := benchClient(b, target.handler())
			ctx := context.Background()
			if _, err := client.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("bench"), Key: aws.String("obj"), Body: bytes.NewReader(body),
			}); err != nil {
				b.Fatalf("PutObject: %v", err)
			}
			// Read with a 256 KiB buffer, as a file copy would; io.Discard's
			// own ReadFrom would read in 8 KiB steps and measure syscall
			// overhead of the client rather than the server.
			buf := make([]byte, 256<<10)
			sink := struct{ io.Writer }{io.Discard}
			b.SetBytes(benchObjectSize)
			b.ResetTimer()
			for b.Loop() {
				out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String("obj")})
				if err != nil {
					b.Fatalf("GetObject: %v", err)
				}
				n, err := io.CopyBuffer(sink, out.Body, buf)
				out.Body.Close()
				if err != nil || n != benchObjectSize {
					b.Fatalf("read %d bytes: %v", n, err)
				}
			}
		})
	}
}

// BenchmarkETagMD5Of1MiB is the MD5 of 1 MiB that every PutObject must
// compute for its ETag before it can answer. MD5 cannot be split across
// cores, so no PUT can take less than the "ceiling" PUT plus this: with
// both from the same run, the fastest possible PUT throughput is
// 1 / (1/ceiling + 1/md5) (see README.md).
func BenchmarkETagMD5Of1MiB(b *testing.B) {
	body := randomBytes(benchObjectSize, 44)
	b.SetBytes(benchObjectSize)
	for b.Loop() {
		_ = md5.Sum(body)
	}
}

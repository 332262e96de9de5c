package s3

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// defaultRegion is the region of buckets created without a location
// constraint by a request whose signing region cannot be determined.
const defaultRegion = "us-east-1"

// Service is an in-memory S3. It implements [http.Handler] and is safe for
// concurrent use. Create it with [New].
type Service struct {
	logger *slog.Logger

	mu      sync.RWMutex
	buckets map[string]*bucket
	// uploadSeq numbers multipart uploads in creation order.
	uploadSeq uint64

	getObjectCount atomic.Int64

	// now is the clock, replaceable in tests.
	now func() time.Time

	// onRequest, if set, receives every answered request (the console's
	// S3 traces); set before serving.
	onRequest func(Request)
}

// Request is one answered S3 API request, as the console traces it.
type Request struct {
	RequestID string
	// Op is the S3 operation (PutObject, GetObject, DeleteObject, …).
	Op       string
	Method   string
	Bucket   string
	Key      string
	Status   int
	Start    time.Time
	Duration time.Duration
	// Error is the S3 error code of a failed request.
	Error string
}

// OnRequest makes the service report every answered request to f; call it
// before the service serves.
func (s *Service) OnRequest(f func(Request)) { s.onRequest = f }

// New returns an empty S3 service. Requests are logged to logger at Debug
// level; a nil logger disables logging.
func New(logger *slog.Logger) *Service {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{
		logger:  logger,
		buckets: make(map[string]*bucket),
		now:     time.Now,
	}
}

// GetObjectCount returns the number of successful GetObject responses
// (200 or 206) served so far. HEAD requests, 304 Not Modified and errors are
// not counted.
func (s *Service) GetObjectCount() int64 { return s.getObjectCount.Load() }

// request is the per-request state handed to the operation handlers.
type request struct {
	w         *statusRecorder
	r         *http.Request
	op        string // S3 operation name, for logs and NotImplemented
	bucket    string
	key       string
	query     url.Values // parsed once by route
	requestID string
	hostID    string
}

// resource is the <Resource> of an error document: the decoded path in
// path-style form, whatever addressing style the client used.
func (rq *request) resource() string {
	switch {
	case rq.bucket == "":
		return "/"
	case rq.key == "":
		return "/" + rq.bucket
	}
	return "/" + rq.bucket + "/" + rq.key
}

// handlerFunc implements one S3 operation. It either writes a complete
// success response and returns nil, or writes nothing and returns the error
// to render.
type handlerFunc func(*request) *apiError

// ServeHTTP implements [http.Handler]. It serves one S3 API request,
// addressed path style or virtual-host style.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rq := &request{
		w:         &statusRecorder{ResponseWriter: w},
		r:         r,
		requestID: newRequestID(),
		hostID:    newHostID(),
	}
	// Every S3 response, success or error, carries both ids; clients log them
	// and the SDKs attach them to errors.
	h := w.Header()
	h.Set("X-Amz-Request-Id", rq.requestID)
	h.Set("X-Amz-Id-2", rq.hostID)
	h.Set("Server", "AmazonS3")

	handler, aerr := s.route(rq)
	if r.Method != http.MethodOptions && r.Header.Get("Origin") != "" {
		s.applyCORS(rq)
	}
	if aerr == nil {
		aerr = handler(rq)
	}
	if aerr != nil {
		s.writeError(rq, aerr)
	}
	if s.onRequest != nil && rq.op != "" {
		req := Request{RequestID: rq.requestID, Op: rq.op, Method: r.Method, Bucket: rq.bucket, Key: rq.key,
			Status: rq.w.status(), Start: start, Duration: time.Since(start)}
		if aerr != nil {
			req.Error = string(aerr.code)
		}
		s.onRequest(req)
	}

	// Logging is per request, so it is Debug and skipped entirely (no
	// attribute building) unless enabled.
	if !s.logger.Enabled(r.Context(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", rq.op),
		slog.String("method", r.Method),
		slog.String("bucket", rq.bucket),
		slog.String("key", rq.key),
		slog.Int("status", rq.w.status()),
		slog.Duration("duration", time.Since(start)),
	}
	if aerr != nil {
		attrs = append(attrs, slog.String("error", string(aerr.code)), slog.String("message", aerr.message))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelDebug, "s3 request", attrs...)
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (sr *statusRecorder) WriteHeader(code int) {
	if sr.code == 0 {
		sr.code = code
	}
	sr.ResponseWriter.WriteHeader(code)
}

func (sr *statusRecorder) Write(p []byte) (int, error) {
	if sr.code == 0 {
		sr.code = http.StatusOK
	}
	return sr.ResponseWriter.Write(p)
}

func (sr *statusRecorder) status() int {
	if sr.code == 0 {
		return http.StatusOK
	}
	return sr.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (sr *statusRecorder) Unwrap() http.ResponseWriter { return sr.ResponseWriter }

// newRequestID returns an id shaped like S3's x-amz-request-id: 16
// upper-case hex characters.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// newHostID returns an opaque base64 token shaped like S3's x-amz-id-2.
func newHostID() string {
	var b [48]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// Reset deletes every bucket and object, as a fresh emulator has none.
func (s *Service) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buckets = make(map[string]*bucket)
}

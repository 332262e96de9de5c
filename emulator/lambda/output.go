// A function's output: the pipe from its process, drained before each result
// is handed back, and the writer that files each line under its invocation
// and in the emulator's log.

package lambda

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"syscall"
)

// outputPipe carries a function's stdout and stderr to its log. Every read
// happens under mu, so drain can guarantee that all output written before
// the function posted its response is in that invocation's log: the
// function wrote it, then called the Runtime API, and drain empties the
// pipe before the result is handed back.
type outputPipe struct {
	r      *os.File
	fd     int
	out    *logWriter
	mu     sync.Mutex
	buf    []byte
	closed bool
}

func newOutputPipe(out *logWriter) (*outputPipe, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	p := &outputPipe{r: r, out: out, buf: make([]byte, 32<<10)}
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		w.Close()
		return nil, nil, err
	}
	if err := rc.Control(func(fd uintptr) { p.fd = int(fd) }); err != nil {
		r.Close()
		w.Close()
		return nil, nil, err
	}
	return p, w, nil
}

// readAvailable reads until the pipe is empty; it reports EOF or a read
// error, after which the pipe is done. Callers hold mu.
func (p *outputPipe) readAvailable() (done bool) {
	if p.closed {
		return true
	}
	for {
		// The descriptor is non-blocking (os.Pipe makes it pollable), so
		// this returns EAGAIN once the pipe is empty.
		n, err := rawRead(p.fd, p.buf)
		if n > 0 {
			_, _ = p.out.Write(p.buf[:n])
			continue
		}
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		return !errors.Is(err, syscall.EAGAIN)
	}
}

// run copies output until the process and its children close the pipe.
func (p *outputPipe) run() {
	rc, err := p.r.SyscallConn()
	if err == nil {
		_ = rc.Read(func(uintptr) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.readAvailable()
		})
	}
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.out.flush()
	_ = p.r.Close()
}

// drain moves everything already written into the log.
func (p *outputPipe) drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.readAvailable()
	p.out.flushPartial()
}

// logWriter forwards a function's output line by line to the emulator log,
// tagged with the function and instance, as CloudWatch Logs would hold it.
type logWriter struct {
	in  *instance
	mu  sync.Mutex
	buf []byte
}

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.emit(string(w.buf[:i]))
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

func (w *logWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.emit(string(w.buf))
		w.buf = nil
	}
}

// flushPartial emits an unterminated last line at the end of an
// invocation, so it is logged with the invocation that wrote it.
func (w *logWriter) flushPartial() { w.flush() }

func (w *logWriter) emit(line string) {
	in := w.in
	in.mu.Lock()
	inv := in.logTo
	in.mu.Unlock()
	requestID := ""
	if inv != nil {
		inv.appendLog(line)
		requestID = inv.id
	}
	in.fn.svc.log.Info("lambda output", "function", in.fn.name, "instance", in.id, "request_id", requestID, "line", line)
}

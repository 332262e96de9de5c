//go:build unix

package lambda

import "syscall"

// rawRead reads the pipe's non-blocking descriptor directly, so drain can
// tell "empty for now" (EAGAIN) from end of file without blocking.
func rawRead(fd int, buf []byte) (int, error) { return syscall.Read(fd, buf) }

// Package ptr reads the optional fields of the emulator's control-plane
// request bodies, which are pointers so that "absent" differs from "empty".
package ptr

// Value returns *p, or T's zero value when p is nil (the field was absent).
func Value[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

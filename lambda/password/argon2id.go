// Package password hashes passwords with argon2id (golang.org/x/crypto)
// in the PHC string format, and implements service.PasswordHasher.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/coolroom/testbed/lambda/service"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// Default is OWASP's first recommended argon2id setting (19 MiB, 2
// passes, 1 lane): tens of milliseconds, and well inside a 128 MB Lambda.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Fast is for tests only: cheap enough to register hundreds of users.
var Fast = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// Hasher is an argon2id service.PasswordHasher. New hashes use its Params;
// verification reads the parameters stored in each hash, so changing them
// keeps old hashes valid.
type Hasher struct {
	Params Params
	// ReturnMemory hands argon2's working memory (Params.Memory, 19 MiB
	// by default) back to the operating system after each hash or check.
	// A Lambda process hashes only on register and log-in and serves
	// cheap requests in between; without this the Go runtime keeps twice
	// that memory resident in every process for good. It costs one garbage collection of a small heap per hash.
	ReturnMemory bool
}

var _ service.PasswordHasher = Hasher{}

var b64 = base64.RawStdEncoding

// Hash returns $argon2id$v=19$m=…,t=…,p=…$<salt>$<key>.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	return h.format(salt, h.idKey([]byte(password), salt, h.Params, keyLen)), nil
}

// Unmatchable returns a hash with h's parameters, a random salt and an
// all-zero key. Verify pays the full argon2id cost for it (it reads the
// parameters and salt like any stored hash) and finds no match, short of
// a 256-bit collision. Before it, the service hashed a throwaway password
// at every cold start: 19 MiB and tens of milliseconds of CPU for each new
// Lambda instance, before its first request.
func (h Hasher) Unmatchable() (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	return h.format(salt, make([]byte, keyLen)), nil
}

// format writes the PHC string of a salt and key made with h's parameters.
func (h Hasher) format(salt, key []byte) string {
	p := h.Params
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errFormat reports a stored hash this package cannot read.
var errFormat = errors.New("password: not an argon2id hash")

// Verify reports whether password matches hash, comparing in constant time.
func (h Hasher) Verify(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errFormat
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errFormat
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.Memory > 1<<22 {
		return false, errFormat
	}
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errFormat
	}
	got := h.idKey([]byte(password), salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// idKey derives the key, returning the memory afterwards if asked to.
func (h Hasher) idKey(password, salt []byte, p Params, n uint32) []byte {
	key := argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, n)
	if h.ReturnMemory {
		debug.FreeOSMemory()
	}
	return key
}

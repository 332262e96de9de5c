package password_test

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/password"
)

func TestHashAndVerify(t *testing.T) {
	for _, p := range []password.Params{password.Default, password.Fast} {
		h := password.Hasher{Params: p}
		hash, err := h.Hash("correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$") || strings.Contains(hash, "horse") {
			t.Errorf("hash %q", hash)
		}
		again, _ := h.Hash("correct horse battery staple")
		if again == hash {
			t.Error("two hashes of one password are equal: no salt")
		}
		if ok, err := h.Verify(hash, "correct horse battery staple"); !ok || err != nil {
			t.Errorf("Verify(right) = %v, %v", ok, err)
		}
		if ok, err := h.Verify(hash, "correct horse battery stapl"); ok || err != nil {
			t.Errorf("Verify(wrong) = %v, %v", ok, err)
		}
	}
	// A hash made with other parameters still verifies.
	old, _ := password.Hasher{Params: password.Fast}.Hash("pw")
	if ok, _ := (password.Hasher{Params: password.Default}).Verify(old, "pw"); !ok {
		t.Error("hash with other parameters did not verify")
	}
}

func TestVerifyRejectsGarbage(t *testing.T) {
	h := password.Hasher{Params: password.Fast}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5"} {
		if ok, err := h.Verify(bad, "pw"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

// retained is the heap memory the process keeps from the OS: in use plus
// idle but not yet returned.
func retained() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.HeapIdle - m.HeapReleased
}

// TestReturnMemoryHandsArgon2sMemoryBack: with ReturnMemory (the Lambda
// bootstrap's setting), a hash and a check leave the process no bigger,
// where otherwise argon2's 19 MiB stays resident.
func TestReturnMemoryHandsArgon2sMemoryBack(t *testing.T) {
	debug.FreeOSMemory()
	before := retained()
	h := password.Hasher{Params: password.Default, ReturnMemory: true}
	hash, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := h.Verify(hash, "correct horse battery staple"); !ok || err != nil {
		t.Fatalf("Verify = %v, %v", ok, err)
	}
	if after := retained(); after > before+4<<20 {
		t.Errorf("retained %d MiB after hashing, %d MiB before", after>>20, before>>20)
	}
}

// TestUnmatchableCostsAVerifyAndMatchesNothing: the hash a login naming
// no account is checked against reads like a stored one (so Verify pays
// the full argon2id cost instead of failing fast on its format), with the
// hasher's parameters, and no password matches it.
func TestUnmatchableCostsAVerifyAndMatchesNothing(t *testing.T) {
	h := password.Hasher{Params: password.Default}
	u, err := h.Unmatchable()
	if err != nil {
		t.Fatal(err)
	}
	real, _ := h.Hash("pw")
	if prefix := real[:strings.LastIndex(real[:strings.LastIndex(real, "$")], "$")]; !strings.HasPrefix(u, prefix+"$") {
		t.Errorf("Unmatchable = %q, want the parameters of %q", u, prefix)
	}
	for _, pw := range []string{"", "pw", "not a real password"} {
		if ok, err := h.Verify(u, pw); ok || err != nil {
			t.Errorf("Verify(Unmatchable, %q) = %v, %v; want false, nil", pw, ok, err)
		}
	}
	if v, _ := h.Unmatchable(); v == u {
		t.Error("two Unmatchable hashes share a salt")
	}
}

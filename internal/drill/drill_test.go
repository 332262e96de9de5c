package drill

import (
	"context"
	"maps"
	"strings"
	"testing"
)

// memLambda is a function's configuration in memory, changed the way the
// Lambda API changes it; the end-to-end tests run the drills against the
// emulator's real API.
type memLambda struct {
	f     Function
	calls []string
}

func (m *memLambda) GetFunction(context.Context, string) (Function, error) {
	f := m.f
	f.Env = maps.Clone(m.f.Env)
	return f, nil
}

func (m *memLambda) UpdateConfiguration(_ context.Context, _ string, env map[string]string, timeout int32) error {
	m.f.Env, m.f.Timeout = maps.Clone(env), timeout
	m.calls = append(m.calls, "update")
	return nil
}

func (m *memLambda) PutConcurrency(_ context.Context, _ string, n int32) error {
	m.f.Reserved = &n
	m.calls = append(m.calls, "put")
	return nil
}

func (m *memLambda) DeleteConcurrency(context.Context, string) error {
	m.f.Reserved = nil
	m.calls = append(m.calls, "delete")
	return nil
}

func TestDrillsRestoreTheOriginals(t *testing.T) {
	ctx := context.Background()
	orig := map[string]string{"DATABASE_URL": "postgres://app:pw@db:5432/app?sslmode=disable", "TOKEN_SECRET": "s"}
	five := int32(5)
	m := &memLambda{f: Function{Env: maps.Clone(orig), Timeout: 10, Reserved: &five}}

	// One drill after another without restoring in between: each starts by
	// undoing the previous one, so the saved values stay the originals.
	for _, kind := range []string{DBDown, Slow, Throttle, Crash, DBDown} {
		if _, err := Run(ctx, m, "fn", kind); err != nil {
			t.Fatal(err)
		}
		if Active(m.f) != kind {
			t.Fatalf("after %s the active drill is %q", kind, Active(m.f))
		}
		switch kind {
		case DBDown:
			if u := m.f.Env["DATABASE_URL"]; !strings.HasPrefix(u, "postgres://app:pw@127.0.0.1:1/app?") || !strings.Contains(u, "connect_timeout=1") {
				t.Errorf("dbdown DATABASE_URL = %q", u)
			}
		case Slow:
			if m.f.Timeout != 45 || m.f.Env[EnvDelay] != "35s" {
				t.Errorf("slow: timeout %d, delay %q", m.f.Timeout, m.f.Env[EnvDelay])
			}
		case Throttle:
			if m.f.Reserved == nil || *m.f.Reserved != 0 {
				t.Errorf("throttle: reserved %v", m.f.Reserved)
			}
		}
	}
	rep, err := Run(ctx, m, "fn", Restore)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(m.f.Env, orig) || m.f.Timeout != 10 || m.f.Reserved == nil || *m.f.Reserved != 5 {
		t.Errorf("after restore: env %v, timeout %d, reserved %v; want the originals", m.f.Env, m.f.Timeout, m.f.Reserved)
	}
	if len(rep.Changed) != 1 {
		t.Errorf("restore reported %v", rep.Changed)
	}
	// Restoring again changes nothing.
	m.calls = nil
	if rep, _ := Run(ctx, m, "fn", Restore); len(rep.Changed) != 0 || len(m.calls) != 0 {
		t.Errorf("a second restore called %v", m.calls)
	}
	// A throttle on a function without a reservation is undone by deleting it.
	m.f.Reserved = nil
	_, _ = Run(ctx, m, "fn", Throttle)
	_, _ = Run(ctx, m, "fn", Restore)
	if m.f.Reserved != nil || m.calls[len(m.calls)-2] != "delete" {
		t.Errorf("after throttle and restore: reserved %v, calls %v", m.f.Reserved, m.calls)
	}
	if _, err := Run(ctx, m, "fn", "explode"); err == nil {
		t.Error("an unknown drill was accepted")
	}
}

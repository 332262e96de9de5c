package app

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/internal/testimages"
)

// TestCheckAvatarRefusesADecompressionBomb: a 130 KB PNG declaring
// 4096×4096 16-bit RGBA (128 MiB once decoded) is refused from its header,
// with a message for the form, before the decoder allocates anything big.
func TestCheckAvatarRefusesADecompressionBomb(t *testing.T) {
	bomb := testimages.PNGBomb(4096, 4096)
	if len(bomb) > 200<<10 {
		t.Fatalf("the bomb is %d bytes; it should be small", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, err := checkAvatar(context.Background(), bomb)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, errAvatarPixels) || !strings.Contains(err.Error(), "4096×4096") {
		t.Fatalf("checkAvatar = %v, want %v naming the size", err, errAvatarPixels)
	}
	got := after.TotalAlloc - before.TotalAlloc
	if got > 4<<20 {
		t.Errorf("refusing the bomb allocated %d MiB", got>>20)
	}
	t.Logf("a %d-byte PNG declaring 4096×4096 16-bit RGBA: refused after allocating %d KiB", len(bomb), got>>10)
}

// TestCheckAvatarDecodesAtMostTwoAtOnce: with every decode slot taken, a
// check waits and gives up with errAvatarBusy when its request ends,
// instead of decoding alongside the others.
func TestCheckAvatarDecodesAtMostTwoAtOnce(t *testing.T) {
	for range maxConcurrentDecodes {
		decodeSlots <- struct{}{}
	}
	defer func() {
		for range maxConcurrentDecodes {
			<-decodeSlots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, _, err := checkAvatar(ctx, testimages.PNGBomb(8, 8)); !errors.Is(err, errAvatarBusy) {
		t.Fatalf("checkAvatar with no free slot = %v, want %v", err, errAvatarBusy)
	}
}

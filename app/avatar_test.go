package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// tinyWebP is a 1×1 lossless WebP (there is no WebP encoder in Go).
const tinyWebP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="

func testImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{R: 94, G: 214, B: 196, A: 255})
	return img
}

func encoded(t *testing.T, enc func(*bytes.Buffer, image.Image) error, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckAvatarAcceptsTheFourFormats(t *testing.T) {
	img := testImage(8, 8)
	webp, _ := base64.StdEncoding.DecodeString(tinyWebP)
	for _, tc := range []struct {
		name, contentType, ext string
		data                   []byte
	}{
		{"png", "image/png", ".png", encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) }, img)},
		{"jpeg", "image/jpeg", ".jpg", encoded(t, func(b *bytes.Buffer, i image.Image) error { return jpeg.Encode(b, i, nil) }, img)},
		{"gif", "image/gif", ".gif", encoded(t, func(b *bytes.Buffer, i image.Image) error { return gif.Encode(b, i, nil) }, img)},
		{"webp", "image/webp", ".webp", webp},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, ext, err := checkAvatar(context.Background(), tc.data)
			if err != nil || ct != tc.contentType || ext != tc.ext {
				t.Errorf("checkAvatar = %q %q %v, want %q %q", ct, ext, err, tc.contentType, tc.ext)
			}
		})
	}
}

func TestCheckAvatarRefuses(t *testing.T) {
	pngData := encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) }, testImage(8, 8))
	huge := encoded(t, func(b *bytes.Buffer, i image.Image) error { return png.Encode(b, i) }, image.NewGray(image.Rect(0, 0, maxAvatarSide+1, 1)))
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"svg with script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), errAvatarType},
		{"svg with xml prolog", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), errAvatarType},
		{"html", []byte(`<html><body><script>alert(1)</script></body></html>`), errAvatarType},
		{"text", []byte("just text"), errAvatarType},
		{"truncated png", pngData[:len(pngData)/2], errAvatarImage},
		{"png header then garbage", append(append([]byte{}, pngData[:16]...), bytes.Repeat([]byte{0xff}, 64)...), errAvatarImage},
		{"too many pixels", huge, errAvatarSides},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := checkAvatar(context.Background(), tc.data); !errors.Is(err, tc.want) {
				t.Errorf("checkAvatar = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestAvatarURL(t *testing.T) {
	def, _ := assetURL("avatar.svg")
	for key, want := range map[string]string{
		"": def,
		"avatars/0123456789abcdef0123456789abcdef.png":     "/avatars/0123456789abcdef0123456789abcdef.png",
		"avatars/42/0123456789abcdef0123456789abcdef.gif":  "/avatars/42/0123456789abcdef0123456789abcdef.gif",
		"avatars/042/0123456789abcdef0123456789abcdef.gif": def,
		"avatars/42/../0123456789abcdef0123456789abcd.gif": def,
		"static/style.css":                           def,
		"avatars/../static/x.png":                    def,
		"javascript:alert(1)":                        def,
		"other/0123456789abcdef0123456789abcdef.png": def,
	} {
		if got, _ := avatarURL(key); got != want {
			t.Errorf("avatarURL(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{2 << 20: "2 MiB", 1536 << 10: "1.5 MiB", 512 << 10: "512 KiB", 100: "100 bytes"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

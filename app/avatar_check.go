package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"net/http"

	// The formats an avatar may have; decoding proves the file is one.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/webp"
)

// maxAvatarSide bounds an avatar's width and height.
const maxAvatarSide = 4096

// maxDecodedBytes is the memory one avatar may need once decoded (width ×
// height × bytes per pixel, read from the header before decoding): a
// 130 KB PNG can declare 4096×4096 16-bit RGBA, 128 MiB of pixels. 64 MiB
// still takes a 12-megapixel photo.
const maxDecodedBytes = 64 << 20

// maxConcurrentDecodes bounds how many avatars are decoded at once, so
// simultaneous uploads need at most this many times maxDecodedBytes.
const maxConcurrentDecodes = 2

// decodeSlots is the semaphore of maxConcurrentDecodes. It is
// process-wide, like the memory it protects.
var decodeSlots = make(chan struct{}, maxConcurrentDecodes)

// avatarTypes maps the sniffed content type of each accepted format to
// its decoder's name and the extension of its S3 key. SVG is absent on
// purpose: it can carry script.
var avatarTypes = map[string]struct{ format, ext string }{
	"image/png":  {"png", ".png"},
	"image/jpeg": {"jpeg", ".jpg"},
	"image/gif":  {"gif", ".gif"},
	"image/webp": {"webp", ".webp"},
}

var (
	errAvatarType   = errors.New("must be a PNG, JPEG, GIF or WebP image")
	errAvatarImage  = errors.New("could not be read as an image (is the file damaged?)")
	errAvatarSides  = fmt.Errorf("must be at most %d×%d pixels", maxAvatarSide, maxAvatarSide)
	errAvatarPixels = errors.New("has too many pixels to process")
	errAvatarBusy   = errors.New("could not be checked right now because the server is busy; please try again")
)

// checkAvatar sniffs the uploaded bytes (ignoring the file name and the
// browser's claimed type) and decodes them completely, returning the
// content type to store. The header is read first: an image whose pixels
// would need more than maxDecodedBytes is refused without decoding, and
// decoding waits for one of maxConcurrentDecodes slots (or for ctx).
func checkAvatar(ctx context.Context, data []byte) (contentType, ext string, err error) {
	contentType = http.DetectContentType(data)
	t, ok := avatarTypes[contentType]
	if !ok {
		return "", "", errAvatarType
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || format != t.format {
		return "", "", errAvatarImage
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxAvatarSide || cfg.Height > maxAvatarSide {
		return "", "", errAvatarSides
	}
	if need := int64(cfg.Width) * int64(cfg.Height) * bytesPerPixel(cfg.ColorModel); need > maxDecodedBytes {
		return "", "", fmt.Errorf("%w (%d×%d would take %d MiB of memory; at most %d MiB)",
			errAvatarPixels, cfg.Width, cfg.Height, need>>20, maxDecodedBytes>>20)
	}
	select {
	case decodeSlots <- struct{}{}:
		defer func() { <-decodeSlots }()
	case <-ctx.Done():
		return "", "", errAvatarBusy
	}
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", "", errAvatarImage
	}
	return contentType, t.ext, nil
}

// bytesPerPixel is what the standard decoders allocate per pixel for an
// image of colour model m (an upper bound: JPEG's subsampled YCbCr needs
// less). Unknown models count as the largest, 16-bit RGBA.
func bytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	return 8
}

package classroom

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// avatarPNG draws a 96×96 avatar: a ring of the user's hue on a darker
// disc of the same hue, so each demo user is recognisable at a glance.
func avatarPNG(hue float64) ([]byte, error) {
	const size = 96
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	bg, ring, core := hsl(hue, 0.45, 0.22), hsl(hue, 0.65, 0.58), hsl(hue, 0.55, 0.38)
	c := float64(size-1) / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			d := math.Hypot(float64(x)-c, float64(y)-c)
			switch {
			case d < 18:
				img.Set(x, y, ring)
			case d < 34:
				img.Set(x, y, core)
			case d < 40:
				img.Set(x, y, ring)
			default:
				img.Set(x, y, bg)
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// hsl converts hue (degrees), saturation and lightness (0–1) to RGB.
func hsl(h, s, l float64) color.RGBA {
	ch := (1 - math.Abs(2*l-1)) * s
	hp := math.Mod(h, 360) / 60
	x := ch * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = ch, x
	case hp < 2:
		r, g = x, ch
	case hp < 3:
		g, b = ch, x
	case hp < 4:
		g, b = x, ch
	case hp < 5:
		r, b = x, ch
	default:
		r, b = ch, x
	}
	m := l - ch/2
	to := func(v float64) uint8 { return uint8(math.Round((v + m) * 255)) }
	return color.RGBA{to(r), to(g), to(b), 255}
}

package app

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cssSheet is the little of style.css a contrast check needs: the :root
// custom properties and each rule's declarations by selector.
type cssSheet struct {
	vars  map[string]string
	rules map[string]map[string]string
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

func parseCSS(t *testing.T, src string) cssSheet {
	t.Helper()
	sh := cssSheet{vars: map[string]string{}, rules: map[string]map[string]string{}}
	src = cssComment.ReplaceAllString(src, "")
	// Only top-level rules: media queries hold layout, not the colours checked here.
	for _, block := range strings.Split(src, "}") {
		sel, body, ok := strings.Cut(block, "{")
		if !ok || strings.Contains(body, "{") {
			continue
		}
		decls := map[string]string{}
		for _, d := range strings.Split(body, ";") {
			if k, v, ok := strings.Cut(d, ":"); ok {
				decls[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
		for _, s := range strings.Split(sel, ",") {
			s = strings.Join(strings.Fields(s), " ")
			if s == ":root" {
				for k, v := range decls {
					sh.vars[k] = v
				}
			}
			if sh.rules[s] == nil {
				sh.rules[s] = map[string]string{}
			}
			for k, v := range decls {
				sh.rules[s][k] = v
			}
		}
	}
	return sh
}

var hexColour = regexp.MustCompile(`#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b`)

// colour resolves a declaration's colour (a var() or a hex literal, the
// first one in a shorthand such as border) to its hex value.
func (sh cssSheet) colour(t *testing.T, selector, property string) string {
	t.Helper()
	v, ok := sh.rules[selector][property]
	if !ok {
		t.Fatalf("style.css: no %s in %q", property, selector)
	}
	for range 5 {
		if m := regexp.MustCompile(`var\((--[\w-]+)\)`).FindStringSubmatch(v); m != nil {
			v = strings.Replace(v, m[0], sh.vars[m[1]], 1)
			continue
		}
		break
	}
	h := hexColour.FindString(v)
	if h == "" {
		t.Fatalf("style.css: %s %s = %q has no hex colour", selector, property, v)
	}
	return h
}

func (sh cssSheet) variable(t *testing.T, name string) string {
	t.Helper()
	h := hexColour.FindString(sh.vars[name])
	if h == "" {
		t.Fatalf("style.css: %s = %q is not a hex colour", name, sh.vars[name])
	}
	return h
}

// luminance is WCAG 2's relative luminance of a #rgb or #rrggbb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	h := strings.TrimPrefix(hex, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	n, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		t.Fatalf("colour %q: %v", hex, err)
	}
	var c [3]float64
	for i, shift := range []uint{16, 8, 0} {
		x := float64((n>>shift)&0xff) / 255
		if x <= 0.04045 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(t *testing.T, a, b string) float64 {
	t.Helper()
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestColourContrast checks the pairs an audit found failing, from the
// stylesheet itself: the Delete button's text (≥ 4.5:1) and the edge of
// text fields against the surfaces they sit on (non-text, ≥ 3:1).
func TestColourContrast(t *testing.T) {
	src, err := staticFS.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	sh := parseCSS(t, string(src))
	text := []struct{ name, fg, bg string }{
		{"Delete button", sh.colour(t, ".button.danger", "color"), sh.colour(t, ".button.danger", "background")},
		{"Delete button (hover)", sh.colour(t, ".button.danger", "color"), sh.colour(t, ".button.danger:hover", "background")},
		{"field text", sh.colour(t, "input", "color"), sh.colour(t, "input", "background")},
	}
	for _, p := range text {
		if r := contrast(t, p.fg, p.bg); r < 4.5 {
			t.Errorf("%s: %s on %s is %.2f:1, text needs 4.5:1", p.name, p.fg, p.bg, r)
		}
	}
	border := sh.colour(t, "input", "border")
	if b := sh.colour(t, "textarea", "border"); b != border {
		t.Errorf("textarea border %s differs from input border %s", b, border)
	}
	for _, surface := range []string{"--bg", "--panel", "--panel-2"} {
		bg := sh.variable(t, surface)
		if r := contrast(t, border, bg); r < 3 {
			t.Errorf("field border %s on %s (%s) is %.2f:1, non-text contrast needs 3:1", border, surface, bg, r)
		}
	}
	invalid := sh.colour(t, "input[aria-invalid=true]", "border-color")
	if r := contrast(t, invalid, sh.variable(t, "--bg")); r < 3 {
		t.Errorf("invalid field border %s is %.2f:1 on --bg", invalid, r)
	}
}

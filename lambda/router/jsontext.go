package router

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// checkJSONText refuses request bodies that encoding/json would accept
// but silently alter or misread: bytes that are not UTF-8, \u escapes of
// lone UTF-16 surrogates, and a top-level value other than an object
// (notably null, which decodes into a struct as "no fields"). Syntax
// errors are left to the decoder, which words them better; an empty body
// passes through for the same reason.
func checkJSONText(body []byte) error {
	if !utf8.Valid(body) {
		return service.Errorf(contract.CodeBadRequest, "the request body must be UTF-8 text")
	}
	// null, true, false, a number or a string: valid JSON, not a request.
	// (Arrays keep the decoder's "must be a JSON object, not array".)
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) > 0 && bytes.IndexByte([]byte(`"-0123456789tfn`), t[0]) >= 0 {
		return service.Errorf(contract.CodeBadRequest, "the request body must be a JSON object")
	}
	if i := loneSurrogate(body); i >= 0 {
		return service.Errorf(contract.CodeBadRequest,
			"malformed JSON at byte %d: a \\u escape names half of a UTF-16 surrogate pair", i+1)
	}
	return nil
}

// loneSurrogate returns the offset of the first \u escape inside a JSON
// string that is a UTF-16 surrogate without its partner (a high one not
// followed by a \u low one, or a low one on its own), or -1. It tracks
// only string boundaries and escapes; anything else about the syntax is
// the decoder's business.
func loneSurrogate(b []byte) int {
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inString {
			if c == '"' {
				inString = true
			}
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if i+1 >= len(b) {
				return -1
			}
			if b[i+1] != 'u' {
				i++ // the escaped character, e.g. \" or \\
				continue
			}
			r, ok := hex4(b, i+2)
			if !ok {
				return -1 // malformed escape: a syntax error for the decoder
			}
			switch {
			case utf16.IsSurrogate(r) && r < 0xdc00:
				// A high surrogate needs a low one right after it.
				if lo, ok := hex4(b, i+8); !ok || i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' ||
					lo < 0xdc00 || lo > 0xdfff {
					return i
				}
				i += 11
			case utf16.IsSurrogate(r):
				return i // a low surrogate with no high one before it
			default:
				i += 5
			}
		}
	}
	return -1
}

// hex4 reads the four hex digits at b[at:] as a rune.
func hex4(b []byte, at int) (rune, bool) {
	if at < 0 || at+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

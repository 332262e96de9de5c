package router_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/coolroom/testbed/lambda/contract"
)

// TestJSONBodyTextIsRefusedNotRepaired: bodies encoding/json would
// silently alter (invalid UTF-8 and lone surrogates became U+FFFD with a
// 201) or misread (null decoded as an empty object, then 422) are a 400
// with the contract's error body, and nothing is stored.
func TestJSONBodyTextIsRefusedNotRepaired(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	eve := s.register(t, "eve")
	for name, body := range map[string]string{
		"invalid UTF-8 byte":           "{\"name\":\"caf\xe9\",\"topic\":\"t\"}",
		"invalid UTF-8 in a key":       "{\"na\xffme\":\"x\",\"topic\":\"t\"}",
		"truncated UTF-8 sequence":     "{\"name\":\"\xe2\x82\",\"topic\":\"t\"}",
		"lone high surrogate":          `{"name":"a\ud800b","topic":"t"}`,
		"lone high surrogate at end":   `{"name":"a\uD800","topic":"t"}`,
		"lone low surrogate":           `{"name":"\udc00","topic":"t"}`,
		"high then an ordinary escape": `{"name":"\ud800\u0041","topic":"t"}`,
		"high then an escaped slash":   `{"name":"\ud800\\udc00","topic":"t"}`,
		"two highs":                    `{"name":"\ud800\ud800","topic":"t"}`,
		"null":                         `null`,
		"null with white space":        " \n null ",
		"a string":                     `"x"`,
		"a number":                     `5`,
		"true":                         `true`,
	} {
		t.Run(name, func(t *testing.T) {
			s.doAuth(t, eve.token, "POST", "/rooms", strings.NewReader(body)).checkError(t, 400, contract.CodeBadRequest, nil)
		})
	}
	t.Run("null on every body route", func(t *testing.T) {
		for _, path := range []string{"/users", "/sessions"} {
			s.do(t, "POST", path, strings.NewReader("null")).checkError(t, 400, contract.CodeBadRequest, nil)
		}
		s.doAuth(t, eve.token, "PATCH", "/users/"+strconv.FormatInt(eve.user.ID, 10), strings.NewReader("null")).
			checkError(t, 400, contract.CodeBadRequest, nil)
	})
	var page contract.RoomPage
	s.do(t, "GET", "/rooms", nil).decode(t, &page)
	if page.Total != 0 {
		t.Fatalf("%d rooms stored from refused bodies: %+v", page.Total, page.Rooms)
	}

	// What is valid still works: a surrogate pair, escaped backslashes and
	// quotes next to \u, and literal (non-escaped) non-ASCII text.
	r := s.doAuth(t, eve.token, "POST", "/rooms", strings.NewReader(`{"name":"\ud83d\ude00 \\u \"\u00e9\" caf`+"é"+`","topic":"\\ud800"}`))
	if r.status != 201 {
		t.Fatalf("valid body: %d %s", r.status, r.body)
	}
	var room contract.Room
	r.decode(t, &room)
	if room.Name != `😀 \u "é" café` || room.Topic.Name != `\ud800` {
		t.Errorf("stored %q / %q", room.Name, room.Topic.Name)
	}
}

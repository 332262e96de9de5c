package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPanicGivesTheFriendly500(t *testing.T) {
	a := testApp(t)
	p, err := parsePages()
	if err != nil {
		t.Fatal(err)
	}
	a.pages = p
	h := a.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom: secret detail") }))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	body := w.Body.String()
	if w.Code != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong") {
		t.Errorf("status %d body %q", w.Code, body)
	}
	for _, leak := range []string{"boom", "secret detail", "goroutine", ".go:"} {
		if strings.Contains(body, leak) {
			t.Errorf("500 page leaks %q", leak)
		}
	}
}

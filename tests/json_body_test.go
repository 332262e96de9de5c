package tests

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestDataAPIRefusesBodiesItWouldRepair: through API Gateway and the real
// function, JSON bodies with invalid UTF-8 or a lone surrogate escape used
// to be stored with U+FFFD (201), and a null body got a 422. All three are
// a 400 with the contract's error body, and no room is created.
func TestDataAPIRefusesBodiesItWouldRepair(t *testing.T) {
	t.Parallel()
	st := sharedStack(t)
	ivy := registered(t, st.AppURL, "ivy")
	token := dataAPIToken(t, st, ivy)
	for name, body := range map[string]string{
		"invalid UTF-8":  "{\"name\":\"caf\xe9 " + ivy.Username + "\",\"topic\":\"t\"}",
		"lone surrogate": `{"name":"a\ud800 ` + ivy.Username + `","topic":"t"}`,
		"null":           `null`,
	} {
		req, _ := http.NewRequest(http.MethodPost, st.Deploy.InvokeURL+"/rooms", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(b, &e) != nil || e.Error.Code != "bad_request" || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want 400 bad_request", name, resp.StatusCode, b)
		}
	}
	resp := ivy.get("/?q=" + ivy.Username)
	if body := readAll(t, resp); strings.Contains(body, "room-card") {
		t.Error("a refused body created a room")
	}
}

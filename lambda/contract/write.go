package contract

import (
	"encoding/json"
	"net/http"
)

// WriteJSON writes v as a JSON answer with status: the data service's
// router writes every body with it, and the web app its own JSON routes
// (which serve these types again). Encoding the contract's types cannot
// fail, so an error there is a programming error and becomes a bare 500
// with the internal error body.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"internal error"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

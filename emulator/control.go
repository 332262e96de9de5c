package emulator

import (
	"encoding/json"
	"net/http"
)

// handleReset empties every service (POST /_localstack/state/reset or
// /_coolroom/reset), so a test suite can start from a clean emulator
// without restarting it.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, `{"message":"use POST"}`, http.StatusMethodNotAllowed)
		return
	}
	s.Lambda.Reset()
	s.Gateway.Reset()
	s.S3.Reset()
	s.Console.Reset()
	s.log.Info("emulator state reset")
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"status": "reset"})
}

// handleInitReady answers LocalStack's readiness probe: the emulator has
// no init scripts, so it is ready as soon as it answers.
func (s *Server) handleInitReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"completed": map[string]bool{"BOOT": true, "START": true, "READY": true, "SHUTDOWN": false}, "scripts": []any{}})
}

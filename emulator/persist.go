package emulator

import (
	"errors"
	"path/filepath"
)

// load restores each service's state from the data directory.
func (s *Server) load() error {
	return errors.Join(
		s.S3.Load(filepath.Join(s.dataDir, "s3")),
		s.Lambda.Load(filepath.Join(s.dataDir, "lambda")),
		s.Gateway.Load(filepath.Join(s.dataDir, "apigateway")),
	)
}

// save writes each service's state to the data directory, after serving
// stopped, so nothing changes while it is written.
func (s *Server) save() error {
	err := errors.Join(
		s.S3.Save(filepath.Join(s.dataDir, "s3")),
		s.Lambda.Save(filepath.Join(s.dataDir, "lambda")),
		s.Gateway.Save(filepath.Join(s.dataDir, "apigateway")),
	)
	if err == nil {
		s.log.Info("emulator state saved", "dir", s.dataDir)
	}
	return err
}

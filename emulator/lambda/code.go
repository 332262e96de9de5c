package lambda

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coolroom/testbed/emulator/awserr"
)

// maxUnzippedSize is AWS's limit for unzipped deployment packages.
const maxUnzippedSize = 250 << 20

// codeSHA256 is the CodeSha256 AWS reports: base64 of the zip's SHA-256.
func codeSHA256(zipData []byte) string {
	sum := sha256.Sum256(zipData)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// validateZip checks that data is a readable zip, as CreateFunction does
// before accepting code.
func validateZip(data []byte) error {
	if len(data) == 0 {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "Code.ZipFile is required: the emulator accepts function code as a zip file only")
	}
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
		return awserr.New(http.StatusBadRequest, awserr.InvalidParameterValue, "Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	return nil
}

// unzip extracts data into dir, keeping file modes (the bootstrap's exec
// bit matters) and refusing entries that escape dir.
func unzip(data []byte, dir string) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("unzip: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var total int64
	for _, f := range zr.File {
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if target != dir && !strings.HasPrefix(target, dir+string(os.PathSeparator)) {
			return fmt.Errorf("unzip: entry %q escapes the code directory", f.Name)
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		mode := f.Mode().Perm()
		if mode == 0 {
			// Zips made on Windows carry no Unix mode; AWS then treats
			// files as readable (and bootstrap needs +x, so it would fail there too).
			mode = 0o644
		}
		n, err := extractFile(f, target, mode, maxUnzippedSize-total)
		if err != nil {
			return err
		}
		total += n
	}
	return nil
}

func extractFile(f *zip.File, target string, mode os.FileMode, budget int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("unzip %s: %w", f.Name, err)
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("unzip %s: %w", f.Name, err)
	}
	if n > budget {
		return n, fmt.Errorf("unzip: unzipped code is larger than %d bytes", maxUnzippedSize)
	}
	return n, nil
}

// codeLocation is GetFunction's Code.Location: where the deployment package
// can be downloaded. AWS answers a presigned S3 URL; the emulator serves the
// zip itself (handleGetCode), on the host the caller used, so the download
// passes the same guard as every Lambda call.
func codeLocation(r *http.Request, fn *function) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: functionsPath + "/" + fn.name + "/code"}
	if fn.version != "" {
		u.RawQuery = url.Values{"Qualifier": {fn.version}}.Encode()
	}
	return u.String()
}

// handleGetCode serves a function's (or a version's) deployment package:
// the URL in GetFunction's Code.Location.
func (s *Service) handleGetCode(w http.ResponseWriter, r *http.Request) {
	fn, err := s.resolveQualified(r.PathValue("name"), r.URL.Query().Get("Qualifier"), false)
	if err != nil {
		awserr.Write(w, err)
		return
	}
	fn.mu.Lock()
	zipData := fn.zip
	fn.mu.Unlock()
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Length", strconv.Itoa(len(zipData)))
	_, _ = w.Write(zipData)
}

package deploy

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// LambdaPackage is the import path of the data service's Lambda main.
const LambdaPackage = "./lambda/bootstrap"

// zipEpoch is the fixed modification time in the zip, so the same binary
// always gives the same zip and CodeSha256 (and a re-deploy changes nothing).
var zipEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// BuildLambdaZip builds the data service for goos/goarch as a static
// binary named bootstrap (the provided.al2023 entry point) and returns a
// zip holding it with its exec bit. AWS, LocalStack and containers need
// goos "linux"; the embedded emulator runs the host's natively.
func BuildLambdaZip(ctx context.Context, sourceDir, goos, goarch string) ([]byte, error) {
	return BuildZip(ctx, sourceDir, LambdaPackage, goos, goarch)
}

// BuildZip builds any Go main package of the module as a Lambda zip.
func BuildZip(ctx context.Context, sourceDir, pkg, goos, goarch string) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "coolroom-build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w", "-o", bin, pkg)
	cmd.Dir = sourceDir
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build lambda (go build %s in %s): %w\n%s", pkg, sourceDir, err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	return zipBootstrap(data)
}

func zipBootstrap(binary []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate, Modified: zipEpoch}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(binary); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// FindModuleRoot walks up from dir to the directory holding go.mod, where
// the Lambda is built from.
func FindModuleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run coolroom from the project checkout (the Lambda is built from source)", abs)
		}
	}
}

package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/coolroom/testbed/lambda/service"
)

func TestPanicBecomesLoggedInternalError(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	a := &api{log: slog.New(slog.NewJSONHandler(&logs, nil))}
	h := a.logRequests(a.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	})))
	req := httptest.NewRequest("GET", "/rooms", nil)
	ctx := lambdacontext.NewContext(req.Context(), &lambdacontext.LambdaContext{AwsRequestID: "req-123"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req.WithContext(ctx))

	if rec.Code != 500 {
		t.Errorf("status %d", rec.Code)
	}
	var e service.ErrorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code != service.CodeInternal {
		t.Fatalf("body %s (%v)", rec.Body, err)
	}
	// The client gets the id to quote, not the panic.
	if e.Error.Message != "internal error (request id req-123)" || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("message %q", e.Error.Message)
	}
	out := logs.String()
	if strings.Count(out, `"msg":"internal error"`) != 1 || !strings.Contains(out, "boom") ||
		strings.Count(out, `"request_id":"req-123"`) != 2 || !strings.Contains(out, `"status":500`) {
		t.Errorf("logs:\n%s", out)
	}
}

func TestDeadlineIsUnavailable(t *testing.T) {
	t.Parallel()
	a := &api{log: slog.New(slog.DiscardHandler)}
	rec := httptest.NewRecorder()
	a.fail(rec, httptest.NewRequest("GET", "/rooms", nil), context.DeadlineExceeded)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"code":"unavailable"`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}

// TestStatusOfEveryCode checks the status of every ErrorCode constant the
// contract declares, read from its source, so a code added there without a
// status here (or left out of this table) fails.
func TestStatusOfEveryCode(t *testing.T) {
	t.Parallel()
	want := map[service.ErrorCode]int{
		service.CodeValidationFailed: 422, service.CodeNotFound: 404, service.CodeBadRequest: 400,
		service.CodeUnauthorized: 401, service.CodeForbidden: 403, service.CodeConflict: 409,
		service.CodeInternal: 500, service.CodeMethodNotAllowed: 405, service.CodeTooLarge: 413,
		service.CodeUnavailable: 503, service.CodeTooManyAttempts: 429,
	}
	for _, name := range declaredCodes(t) {
		if _, ok := want[name]; !ok {
			t.Errorf("error code %s is declared but has no expected status here", name)
		}
	}
	want["something_new"] = 500
	for code, status := range want {
		if got := statusOf(code); got != status {
			t.Errorf("statusOf(%s) = %d, want %d", code, got, status)
		}
	}
}

// declaredCodes returns the values of the ErrorCode constants declared in
// the package that defines ErrorCode.
func declaredCodes(t *testing.T) []service.ErrorCode {
	t.Helper()
	typ := reflect.TypeFor[service.ErrorCode]()
	pkg, err := build.Import(typ.PkgPath(), ".", build.FindOnly)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(pkg.Dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []service.ErrorCode
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != typ.Name() {
					continue
				}
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						s, _ := strconv.Unquote(lit.Value)
						codes = append(codes, service.ErrorCode(s))
					}
				}
			}
		}
	}
	if len(codes) == 0 {
		t.Fatalf("no %s constants found in %s", typ, pkg.Dir)
	}
	return codes
}

package contract

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestStatusOfEveryCode pins the status of every code in Codes, and
// fails when a code is added to Codes without a status here.
func TestStatusOfEveryCode(t *testing.T) {
	t.Parallel()
	want := map[ErrorCode]int{
		CodeValidationFailed: 422, CodeNotFound: 404, CodeBadRequest: 400,
		CodeUnauthorized: 401, CodeForbidden: 403, CodeConflict: 409,
		CodeInternal: 500, CodeMethodNotAllowed: 405, CodeTooLarge: 413,
		CodeUnavailable: 503, CodeTooManyAttempts: 429,
	}
	for _, code := range Codes {
		status, ok := want[code]
		if !ok {
			t.Errorf("code %s has no status in this test", code)
			continue
		}
		if got := code.Status(); got != status {
			t.Errorf("%s.Status() = %d, want %d", code, got, status)
		}
	}
	if len(Codes) != len(want) {
		t.Errorf("Codes has %d codes, this test %d", len(Codes), len(want))
	}
	if got := ErrorCode("something_new").Status(); got != 500 {
		t.Errorf("an unknown code is %d, want 500", got)
	}
}

func TestErrorSaysWhereItCameFrom(t *testing.T) {
	t.Parallel()
	e := &Error{Code: CodeConflict, Message: "taken", Fields: map[string]string{"username": "is taken"}}
	if got, want := e.Error(), "conflict: taken map[username:is taken]"; got != want {
		t.Errorf("service side: %q, want %q", got, want)
	}
	e.Status = 409
	if got, want := e.Error(), "data API 409 conflict: taken map[username:is taken]"; got != want {
		t.Errorf("client side: %q, want %q", got, want)
	}
}

// TestCodesListsEveryCode fails when an ErrorCode constant is declared but
// left out of Codes, which the status and round-trip tests walk.
func TestCodesListsEveryCode(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, c := range Codes {
		listed[string(c)] = true
	}
	declared := 0
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "ErrorCode" {
				continue
			}
			for i, name := range vs.Names {
				declared++
				lit := vs.Values[i].(*ast.BasicLit)
				if v, _ := strconv.Unquote(lit.Value); !listed[v] {
					t.Errorf("%s (%s) is not in Codes", name.Name, lit.Value)
				}
			}
		}
	}
	if declared != len(Codes) {
		t.Errorf("errors.go declares %d codes, Codes lists %d", declared, len(Codes))
	}
}

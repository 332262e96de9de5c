package router

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// A roundTrip is one data-API call made by the app's client against this
// package's encoder and decoder: the client encodes sent (if any), the
// router's decodeJSON reads it strictly, contract.WriteJSON (the router's encoder) answers
// with answer, and the client decodes that.
type roundTrip struct {
	name   string
	sent   any
	answer any
	call   func(context.Context, *dataapi.Client) (got any, err error)
}

// value turns a client's (*T, error) into (T, error) for comparing.
func value[T any](p *T, err error) (any, error) {
	if p == nil {
		return nil, err
	}
	return *p, err
}

// roundTrips covers every call of the app's client, with every field of
// every body set (see filled), so a field one end does not know is seen.
func roundTrips() []roundTrip {
	newUser, creds, userUpdate := filled[contract.NewUser](), filled[contract.Credentials](), filled[contract.UserUpdate]()
	newRoom, roomUpdate, newMessage := filled[contract.NewRoom](), filled[contract.RoomUpdate](), filled[contract.NewMessage]()
	return []roundTrip{
		{"health", nil, filled[contract.Health](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return nil, c.Health(ctx) // the client reads the body but returns no value
		}},
		{"register", newUser, filled[contract.AuthResult](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.Register(ctx, newUser))
		}},
		{"login", creds, filled[contract.AuthResult](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.Login(ctx, creds))
		}},
		{"get user", nil, filled[contract.User](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.GetUser(ctx, 1))
		}},
		{"update user", userUpdate, filled[contract.User](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.UpdateUser(ctx, 1, userUpdate))
		}},
		{"list rooms", nil, filled[contract.RoomPage](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.ListRooms(ctx, dataapi.RoomQuery{}))
		}},
		{"get room", nil, filled[contract.RoomDetail](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.GetRoom(ctx, 1, 0))
		}},
		{"create room", newRoom, filled[contract.Room](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.CreateRoom(ctx, newRoom))
		}},
		{"update room", roomUpdate, filled[contract.Room](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.UpdateRoom(ctx, 1, roomUpdate))
		}},
		{"messages after", nil, filled[contract.MessageList](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.MessagesAfter(ctx, 1, 0))
		}},
		{"latest messages", nil, filled[contract.MessageList](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.LatestMessages(ctx, 1))
		}},
		{"post message", newMessage, filled[contract.Message](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.PostMessage(ctx, 1, newMessage.Body))
		}},
		{"get message", nil, filled[contract.Message](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.GetMessage(ctx, 1))
		}},
		{"list messages", nil, filled[contract.MessagePage](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.ListMessages(ctx, dataapi.MessageQuery{}))
		}},
		{"list topics", nil, filled[contract.TopicList](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.ListTopics(ctx, ""))
		}},
		{"home", nil, filled[contract.HomePage](), func(ctx context.Context, c *dataapi.Client) (any, error) {
			return value(c.Home(ctx, dataapi.RoomQuery{}))
		}},
	}
}

// TestContractRoundTrip sends every body through both ends: what the
// client sends, the router reads back equal (rejecting unknown keys, as
// it does for every request); what the router writes, a decoder that
// rejects unknown keys reads back equal, and so does the app's client.
func TestContractRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range roundTrips() {
		t.Run(tc.name, func(t *testing.T) {
			var received any
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.sent != nil {
					dst := reflect.New(reflect.TypeOf(tc.sent))
					if err := decodeJSON(w, r, dst.Interface()); err != nil {
						t.Errorf("the router refused the client's body: %v", err)
					}
					received = dst.Elem().Interface()
				}
				contract.WriteJSON(w, http.StatusOK, tc.answer)
			}))
			defer srv.Close()

			got, err := tc.call(context.Background(), dataapi.New(srv.URL, nil).As("token"))
			if err != nil {
				t.Fatalf("client: %v", err)
			}
			if tc.sent != nil && !reflect.DeepEqual(received, tc.sent) {
				t.Errorf("the router read\n%+v\nthe client sent\n%+v", received, tc.sent)
			}
			if got != nil && !reflect.DeepEqual(got, tc.answer) {
				t.Errorf("the client read\n%+v\nthe router wrote\n%+v", got, tc.answer)
			}

			rec := httptest.NewRecorder()
			contract.WriteJSON(rec, http.StatusOK, tc.answer)
			strict := reflect.New(reflect.TypeOf(tc.answer))
			dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(strict.Interface()); err != nil {
				t.Fatalf("strict decode of %s: %v", rec.Body, err)
			}
			if !reflect.DeepEqual(strict.Elem().Interface(), tc.answer) {
				t.Errorf("strict decode read\n%+v\nthe router wrote\n%+v", strict.Elem().Interface(), tc.answer)
			}
		})
	}
}

// TestContractErrorRoundTrip sends every error code through the router's
// fail and the app's client: the client gets the same code, message and
// fields, with the status the code travels with.
func TestContractErrorRoundTrip(t *testing.T) {
	t.Parallel()
	a := &api{log: slog.New(slog.DiscardHandler)}
	for _, code := range contract.Codes {
		sent := new(filled[contract.Error]())
		sent.Code, sent.Status, sent.RetryAfter = code, 0, 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a.fail(w, r, sent)
		}))
		_, err := dataapi.New(srv.URL, nil).GetUser(context.Background(), 1)
		srv.Close()

		if code == contract.CodeInternal || code == contract.CodeUnavailable {
			// The service hides these (internal) or means "try later"; the
			// client reports both as the service being unavailable.
			if !errors.Is(err, dataapi.ErrUnavailable) {
				t.Errorf("%s: %v, want ErrUnavailable", code, err)
			}
			continue
		}
		var got *contract.Error
		if !errors.As(err, &got) {
			t.Errorf("%s: %v, want *contract.Error", code, err)
			continue
		}
		want := *sent
		want.Status = code.Status()
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("%s: the client read %+v, the router sent %+v", code, *got, want)
		}
	}
}

// TestRoundTripCoversTheContract fails when package contract declares a
// struct type that no round trip above carries, so a type added to the
// contract needs a call here (or is unused, and should not be there).
func TestRoundTripCoversTheContract(t *testing.T) {
	t.Parallel()
	declared := contractStructs(t)
	reached := map[string]bool{}
	for _, tc := range roundTrips() {
		reach(reflect.TypeOf(tc.sent), reached)
		reach(reflect.TypeOf(tc.answer), reached)
	}
	reach(reflect.TypeOf(contract.ErrorResponse{}), reached) // TestContractErrorRoundTrip
	for _, name := range declared {
		if !reached[name] {
			t.Errorf("contract.%s is in no round trip: add the client call that carries it to roundTrips", name)
		}
	}
	if len(declared) < 10 {
		t.Errorf("found only %v in package contract: is the path right?", declared)
	}
}

// contractStructs returns the exported struct types declared in package
// contract's non-test files.
func contractStructs(t *testing.T) []string {
	t.Helper()
	const dir = "../contract"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if _, ok := ts.Type.(*ast.StructType); ok && ts.Name.IsExported() {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	slices.Sort(names)
	return names
}

// reach records the contract types t is or holds.
func reach(t reflect.Type, seen map[string]bool) {
	if t == nil {
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map:
		reach(t.Elem(), seen)
	case reflect.Struct:
		if t.PkgPath() != reflect.TypeFor[contract.Error]().PkgPath() || seen[t.Name()] {
			return
		}
		seen[t.Name()] = true
		for i := range t.NumField() {
			reach(t.Field(i).Type, seen)
		}
	}
}

// filled returns a T with every field set to a distinct non-zero value,
// so omitempty hides nothing and a field lost on the way shows.
func filled[T any]() T {
	var v T
	n := 0
	fill(reflect.ValueOf(&v).Elem(), &n)
	return v
}

func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("text %d ü <&>", *n))
	case reflect.Int, reflect.Int64:
		if v.Type() == reflect.TypeFor[time.Duration]() {
			v.SetInt(int64(*n) * int64(time.Second))
			return
		}
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0), n)
		fill(v.Index(1), n)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, n)
		fill(e, n)
		v.SetMapIndex(k, e)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, *n*1000, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("filled: no value for " + v.Type().String())
	}
}

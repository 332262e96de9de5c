package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
	"github.com/coolroom/testbed/lambda/service"
)

// fakeStore records what reaches the store, to show the service's rules
// run before it. Methods a test does not need panic (nil embedded
// interface), so an unexpected store call fails loudly.
type fakeStore struct {
	service.Store
	created  []contract.NewRoom
	listed   []service.RoomQuery
	perPage  int
	topicsQ  []string
	host     int64 // of every room
	updated  int
	deleted  int
	author   int64 // of every message
	users    map[string]fakeUser
	wait     time.Duration
	succeded int
	// started lists the keys StartLogin counted; locked maps a key to
	// its remaining lock.
	started []string
	locked  map[string]time.Duration
}

type fakeUser struct {
	id   int64
	hash string
}

func (f *fakeStore) ListRooms(_ context.Context, q service.RoomQuery, perPage int) (contract.RoomPage, error) {
	f.listed = append(f.listed, q)
	f.perPage = perPage
	return contract.RoomPage{Rooms: []contract.Room{}, Page: q.Page, PerPage: perPage}, nil
}

func (f *fakeStore) CreateRoom(_ context.Context, hostID int64, in contract.NewRoom) (contract.Room, error) {
	f.created = append(f.created, in)
	return contract.Room{ID: 1, Name: in.Name, Description: in.Description, Topic: contract.Topic{Name: in.Topic},
		Host: contract.UserSummary{ID: hostID}}, nil
}

func (f *fakeStore) ListTopics(_ context.Context, q string) (contract.TopicList, error) {
	f.topicsQ = append(f.topicsQ, q)
	return contract.TopicList{Topics: []contract.Topic{}}, nil
}

func (f *fakeStore) RoomHost(_ context.Context, id int64) (int64, error) {
	if id == 404 {
		return 0, service.NotFound("room", id)
	}
	return f.host, nil
}

func (f *fakeStore) UpdateRoom(_ context.Context, id, hostID int64, _ contract.RoomUpdate) (contract.Room, error) {
	f.updated++
	return contract.Room{ID: id, Host: contract.UserSummary{ID: hostID}}, nil
}

func (f *fakeStore) DeleteRoom(context.Context, int64, int64) error { f.deleted++; return nil }

func (f *fakeStore) MessageByID(_ context.Context, id int64) (contract.Message, error) {
	return contract.Message{ID: id, User: contract.UserSummary{ID: f.author}}, nil
}

func (f *fakeStore) DeleteMessage(context.Context, int64, int64) error { f.deleted++; return nil }

func (f *fakeStore) StartLogin(_ context.Context, key string, _ service.LoginPolicy) (time.Duration, error) {
	f.started = append(f.started, key)
	return f.wait, nil
}

func (f *fakeStore) LoginLock(_ context.Context, key string) (time.Duration, error) {
	return f.locked[key], nil
}

func (f *fakeStore) LoginSucceeded(context.Context, string) error { f.succeded++; return nil }

func (f *fakeStore) LoginByEmail(_ context.Context, email string) (int64, string, bool, error) {
	u, ok := f.users[strings.ToLower(email)]
	return u.id, u.hash, ok, nil
}

func (f *fakeStore) CreateSession(context.Context, int64, time.Time) (int64, error) { return 1, nil }

func (f *fakeStore) UserByID(_ context.Context, id int64) (contract.User, error) {
	return contract.User{ID: id, Email: "x@example.test"}, nil
}

// countingHasher is a transparent "hash" that counts verifications.
type countingHasher struct {
	verified []string
	hashed   int
}

func (h *countingHasher) Hash(pw string) (string, error) { h.hashed++; return "h:" + pw, nil }
func (h *countingHasher) Unmatchable() (string, error)   { return "unmatchable", nil }
func (h *countingHasher) Verify(hash, pw string) (bool, error) {
	h.verified = append(h.verified, hash)
	return hash == "h:"+pw, nil
}

func newService(t *testing.T, f *fakeStore) *service.Service {
	t.Helper()
	tokens, err := service.NewTokenSigner([]byte("0123456789abcdef"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(f, service.Options{Hasher: &countingHasher{}, Tokens: tokens})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestCreateRoomValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // runes, not bytes
	tests := []struct {
		name string
		in   contract.NewRoom
		want map[string]string // nil: valid
	}{
		{"valid", contract.NewRoom{Name: "Go", Topic: "Go"}, nil},
		{"limits", contract.NewRoom{Name: long(200), Topic: long(200), Description: long(2000)}, nil},
		{"multi-line description", contract.NewRoom{Name: "a", Topic: "b", Description: "line 1\n\tline 2\r\n"}, nil},
		{"empty", contract.NewRoom{}, map[string]string{"name": "is required", "topic": "is required"}},
		{"blank", contract.NewRoom{Name: " \t", Topic: "\n"}, map[string]string{"name": "is required", "topic": "is required"}},
		{"too long", contract.NewRoom{Name: long(201), Topic: long(201), Description: long(2001)}, map[string]string{
			"name": "must be at most 200 characters", "topic": "must be at most 200 characters",
			"description": "must be at most 2000 characters"}},
		{"NUL", contract.NewRoom{Name: "a\x00b", Topic: "t\x00", Description: "\x00"}, map[string]string{
			"name": "must not contain control characters", "topic": "must not contain control characters",
			"description": "must not contain control characters"}},
		{"newline in name", contract.NewRoom{Name: "a\nb", Topic: "t"}, map[string]string{
			"name": "must not contain control characters"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeStore{}
			_, err := newService(t, f).CreateRoom(context.Background(), 7, tc.in)
			if tc.want == nil {
				if err != nil || len(f.created) != 1 {
					t.Fatalf("err = %v, created %d", err, len(f.created))
				}
				return
			}
			var se *contract.Error
			if !errors.As(err, &se) || se.Code != contract.CodeValidationFailed {
				t.Fatalf("err = %v, want validation_failed", err)
			}
			if len(se.Fields) != len(tc.want) {
				t.Errorf("fields = %v, want %v", se.Fields, tc.want)
			}
			for k, v := range tc.want {
				if se.Fields[k] != v {
					t.Errorf("fields[%s] = %q, want %q", k, se.Fields[k], v)
				}
			}
			if len(f.created) != 0 {
				t.Error("invalid room reached the store")
			}
		})
	}
}

func TestCreateRoomTrims(t *testing.T) {
	f := &fakeStore{}
	r, err := newService(t, f).CreateRoom(context.Background(), 7, contract.NewRoom{Name: "  Go  ", Topic: " go\t", Description: " d \n"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.created[0]; got != (contract.NewRoom{Name: "Go", Topic: "go", Description: "d"}) {
		t.Errorf("stored %+v", got)
	}
	if r.Host.ID != 7 {
		t.Errorf("host %d, want 7", r.Host.ID)
	}
}

func TestListRoomsRules(t *testing.T) {
	f := &fakeStore{}
	svc := newService(t, f)
	ctx := context.Background()
	if _, err := svc.ListRooms(ctx, service.RoomQuery{Q: "  go ", Page: 3, HostID: 9}); err != nil {
		t.Fatal(err)
	}
	if f.listed[0] != (service.RoomQuery{Q: "go", Page: 3, HostID: 9}) || f.perPage != service.DefaultPerPage {
		t.Errorf("store got %+v perPage=%d", f.listed[0], f.perPage)
	}
	for _, tc := range []struct {
		q    string
		page int
	}{
		{"", 0}, {"", -1}, {"", service.MaxPage + 1},
		{"a\x00", 1}, {strings.Repeat("x", service.MaxQuery+1), 1}, {"\xff", 1},
	} {
		_, err := svc.ListRooms(ctx, service.RoomQuery{Q: tc.q, Page: tc.page})
		if service.CodeOf(err) != contract.CodeBadRequest {
			t.Errorf("ListRooms(%q, %d) err = %v, want bad_request", tc.q, tc.page, err)
		}
	}
	if len(f.listed) != 1 {
		t.Errorf("bad requests reached the store: %+v", f.listed)
	}
}

func TestListTopicsRules(t *testing.T) {
	f := &fakeStore{}
	svc := newService(t, f)
	if _, err := svc.ListTopics(context.Background(), " Py "); err != nil || f.topicsQ[0] != "Py" {
		t.Errorf("err %v, store got %q", err, f.topicsQ)
	}
	if _, err := svc.ListTopics(context.Background(), "\x00"); service.CodeOf(err) != contract.CodeBadRequest {
		t.Errorf("err = %v, want bad_request", err)
	}
}

func TestErrorFormatting(t *testing.T) {
	e := service.Errorf(contract.CodeNotFound, "room %d not found", 3)
	if e.Error() != "not_found: room 3 not found" {
		t.Errorf("Error() = %q", e.Error())
	}
	if service.CodeOf(errors.New("x")) != contract.CodeInternal {
		t.Error("plain errors must be internal")
	}
	wrapped := errors.Join(errors.New("ctx"), service.ValidationError(map[string]string{"name": "is required"}))
	if service.CodeOf(wrapped) != contract.CodeValidationFailed {
		t.Error("CodeOf must see through wrapping")
	}
}

func (f *fakeStore) CreateUser(_ context.Context, in contract.NewUser, hash string) (contract.User, error) {
	return contract.User{ID: 1, Username: in.Username, Email: in.Email}, nil
}

// TestNewHashesNothing: a cold start (service.New in every new Lambda
// instance) pays for no password hash; it once hashed a throwaway
// password to have something to check unknown emails against.
func TestNewHashesNothing(t *testing.T) {
	h := &countingHasher{}
	tokens, err := service.NewTokenSigner([]byte("0123456789abcdef"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := service.New(&fakeStore{}, service.Options{Hasher: h, Tokens: tokens}); err != nil {
		t.Fatal(err)
	}
	if h.hashed != 0 {
		t.Errorf("service.New hashed %d passwords, want none", h.hashed)
	}
}

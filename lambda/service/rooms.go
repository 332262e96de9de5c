package service

import (
	"context"
	"strings"

	"github.com/coolroom/testbed/lambda/contract"
)

// ListRooms returns a page of the rooms matching q: q.Q is matched
// case-insensitively and literally against the topic name, room name,
// description and host username (empty lists every room); q.HostID, when
// set, keeps only that host's rooms.
func (s *Service) ListRooms(ctx context.Context, q RoomQuery) (contract.RoomPage, error) {
	if err := checkListing(&q.Q, &q.Topic, q.Page, "host", q.HostID); err != nil {
		return contract.RoomPage{}, err
	}
	return s.store.ListRooms(ctx, q, s.perPage)
}

// Home returns the home page's three lists for one call: the page of rooms
// q selects, every topic, and the newest HomeActivity messages matching
// the same search and topic (without the feed's total, which the home
// page does not show and which would count every message). HostID must
// be 0.
func (s *Service) Home(ctx context.Context, q RoomQuery) (contract.HomePage, error) {
	if err := checkListing(&q.Q, &q.Topic, q.Page, "host", q.HostID); err != nil {
		return contract.HomePage{}, err
	}
	return s.store.Home(ctx, q, s.perPage, HomeActivity)
}

// ListTopics returns the topics whose names contain q (case-insensitive,
// literal), most used first, with the total number of rooms.
func (s *Service) ListTopics(ctx context.Context, q string) (contract.TopicList, error) {
	q, err := cleanQuery(q)
	if err != nil {
		return contract.TopicList{}, err
	}
	return s.store.ListTopics(ctx, q)
}

// GetRoom returns a room with its participants and a page of its
// messages: the newest RoomMessagesPerPage, or those before message id
// before when it is positive.
func (s *Service) GetRoom(ctx context.Context, id, before int64) (contract.RoomDetail, error) {
	if before < 0 {
		return contract.RoomDetail{}, badBefore()
	}
	return s.store.RoomDetail(ctx, id, before, RoomMessagesPerPage)
}

// CreateRoom validates in and creates the room with the caller as its
// host. Surrounding white space is trimmed from every field.
func (s *Service) CreateRoom(ctx context.Context, caller int64, in contract.NewRoom) (contract.Room, error) {
	if err := requireCaller(caller); err != nil {
		return contract.Room{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Topic = strings.TrimSpace(in.Topic)
	in.Description = strings.TrimSpace(in.Description)
	fields := map[string]string{}
	checkLine(fields, "name", in.Name, MaxRoomName)
	checkLine(fields, "topic", in.Topic, MaxTopicName)
	checkText(fields, "description", in.Description, MaxRoomDescription)
	if len(fields) > 0 {
		return contract.Room{}, ValidationError(fields)
	}
	return s.store.CreateRoom(ctx, caller, in)
}

// UpdateRoom changes the given fields of room id; only its host may.
func (s *Service) UpdateRoom(ctx context.Context, caller, id int64, in contract.RoomUpdate) (contract.Room, error) {
	if err := s.checkHost(ctx, caller, id, "update"); err != nil {
		return contract.Room{}, err
	}
	fields := map[string]string{}
	if in.Name != nil {
		*in.Name = strings.TrimSpace(*in.Name)
		checkLine(fields, "name", *in.Name, MaxRoomName)
	}
	if in.Topic != nil {
		*in.Topic = strings.TrimSpace(*in.Topic)
		checkLine(fields, "topic", *in.Topic, MaxTopicName)
	}
	if in.Description != nil {
		*in.Description = strings.TrimSpace(*in.Description)
		checkText(fields, "description", *in.Description, MaxRoomDescription)
	}
	if len(fields) > 0 {
		return contract.Room{}, ValidationError(fields)
	}
	return s.store.UpdateRoom(ctx, id, caller, in)
}

// DeleteRoom deletes room id with its messages and participants; only its
// host may.
func (s *Service) DeleteRoom(ctx context.Context, caller, id int64) error {
	if err := s.checkHost(ctx, caller, id, "delete"); err != nil {
		return err
	}
	return s.store.DeleteRoom(ctx, id, caller)
}

// checkHost returns unauthorized for anonymous callers, not_found for an
// unknown room and forbidden unless the caller hosts it. Ownership is
// checked before validation so a stranger learns nothing from 422s.
func (s *Service) checkHost(ctx context.Context, caller, id int64, verb string) error {
	if err := requireCaller(caller); err != nil {
		return err
	}
	host, err := s.store.RoomHost(ctx, id)
	if err != nil {
		return err
	}
	if host != caller {
		return Forbidden("only the room's host may " + verb + " it")
	}
	return nil
}

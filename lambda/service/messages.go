package service

import (
	"context"
	"strings"

	"github.com/coolroom/testbed/lambda/contract"
)

// PostMessage adds a message by the caller to room roomID. The caller
// becomes a participant (once) and the room's updated time moves to now.
// The body keeps its inner white space but is trimmed at both ends.
func (s *Service) PostMessage(ctx context.Context, caller, roomID int64, in contract.NewMessage) (contract.Message, error) {
	if err := requireCaller(caller); err != nil {
		return contract.Message{}, err
	}
	body := strings.TrimSpace(in.Body)
	fields := map[string]string{}
	if body == "" {
		fields["body"] = "is required"
	} else {
		checkText(fields, "body", body, MaxMessageBody)
	}
	if len(fields) > 0 {
		return contract.Message{}, ValidationError(fields)
	}
	return s.store.CreateMessage(ctx, roomID, caller, body)
}

// RoomMessages returns a page of a room's messages, oldest first, as c
// selects them (see MessageCursor), at most RoomMessagesPerPage. A poll
// that is far behind gets the oldest it has not seen and HasMore, and
// continues from the last one.
func (s *Service) RoomMessages(ctx context.Context, roomID int64, c MessageCursor) (contract.MessageList, error) {
	switch {
	case c.After != nil && *c.After < 0:
		return contract.MessageList{}, &contract.Error{Code: contract.CodeBadRequest, Message: "after must be a message id",
			Fields: map[string]string{"after": "must be a non-negative integer"}}
	case c.Before < 0:
		return contract.MessageList{}, badBefore()
	case c.After != nil && c.Before > 0:
		return contract.MessageList{}, &contract.Error{Code: contract.CodeBadRequest, Message: "after and before cannot be combined",
			Fields: map[string]string{"before": "cannot be combined with after"}}
	}
	return s.store.RoomMessages(ctx, roomID, c, RoomMessagesPerPage)
}

// badBefore is the error for a before cursor that is not a message id.
func badBefore() *contract.Error {
	return &contract.Error{Code: contract.CodeBadRequest, Message: "before must be a message id",
		Fields: map[string]string{"before": "must be a positive integer"}}
}

// GetMessage returns one message.
func (s *Service) GetMessage(ctx context.Context, id int64) (contract.Message, error) {
	return s.store.MessageByID(ctx, id)
}

// DeleteMessage deletes message id; only its author may. The author stays
// a participant of the room, as in the original app.
func (s *Service) DeleteMessage(ctx context.Context, caller, id int64) error {
	if err := requireCaller(caller); err != nil {
		return err
	}
	m, err := s.store.MessageByID(ctx, id)
	if err != nil {
		return err
	}
	if m.User.ID != caller {
		return Forbidden("only the message's author may delete it")
	}
	return s.store.DeleteMessage(ctx, id, caller)
}

// ListMessages returns the activity feed: the latest messages, newest
// first, in rooms matching q.Q exactly as ListRooms matches them (topic,
// room name, description, host username), optionally only those written
// by q.UserID.
func (s *Service) ListMessages(ctx context.Context, q MessageQuery) (contract.MessagePage, error) {
	if err := checkListing(&q.Q, &q.Topic, q.Page, "user", q.UserID); err != nil {
		return contract.MessagePage{}, err
	}
	return s.store.ListMessages(ctx, q, MessagesPerPage)
}

package app

import (
	"net/http"

	"github.com/coolroom/testbed/app/dataapi"
)

type profilePage struct {
	User     *dataapi.User
	Rooms    *dataapi.RoomPage
	Messages *dataapi.MessagePage
	Topics   *dataapi.TopicList
	// TopTopics is the left column's short list, as on the home page.
	TopTopics []dataapi.Topic
	IsMe      bool
}

// handleProfile shows a user: avatar, name, @username, bio, the rooms
// they host and their recent messages; one's own profile links to
// "Edit profile".
func (a *App) handleProfile(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	var p profilePage
	err := parallel(
		func() (err error) { p.User, err = a.dataFor(r).GetUser(r.Context(), id); return },
		func() (err error) { p.Rooms, err = a.data.ListRooms(r.Context(), dataapi.RoomQuery{Host: id}); return },
		func() (err error) {
			p.Messages, err = a.data.ListMessages(r.Context(), dataapi.MessageQuery{User: id})
			return
		},
		func() (err error) { p.Topics, err = a.data.ListTopics(r.Context(), ""); return },
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p.TopTopics = p.Topics.Topics
	if len(p.TopTopics) > topTopics {
		p.TopTopics = p.TopTopics[:topTopics]
	}
	if s := currentSession(r); s != nil {
		p.IsMe = s.User.ID == id
	}
	a.render(w, r, http.StatusOK, "profile", view{Title: p.User.Name + " (@" + p.User.Username + ")", Nav: "profile", Data: p})
}

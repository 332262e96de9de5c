package app

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type profilePage struct {
	User     *contract.User
	Rooms    *contract.RoomPage
	Messages *contract.MessagePage
	Topics   *contract.TopicList
	// TopTopics is the left column's short list, as on the home page.
	TopTopics []contract.Topic
	IsMe      bool
	// RoomsPager and MessagesPager page the two lists independently
	// (?rooms= and ?messages=); each keeps the other's page in its links.
	RoomsPager    pager
	MessagesPager pager
}

// handleProfile shows a user: avatar, name, @username, bio, the rooms
// they host (?rooms=N) and their messages, newest first (?messages=N),
// page by page; one's own profile links to "Edit profile".
func (a *App) handleProfile(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		a.notFound(w, r)
		return
	}
	roomsPage, msgsPage := intPageParam(r, "rooms"), intPageParam(r, "messages")
	var p profilePage
	err := parallel(
		func() (err error) { p.User, err = a.dataFor(r).GetUser(r.Context(), id); return },
		func() (err error) {
			p.Rooms, err = a.data.ListRooms(r.Context(), dataapi.RoomQuery{Host: id, Page: roomsPage})
			return
		},
		func() (err error) {
			p.Messages, err = a.data.ListMessages(r.Context(), dataapi.MessageQuery{User: id, Page: msgsPage})
			return
		},
		func() (err error) { p.Topics, err = a.data.ListTopics(r.Context(), ""); return },
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p.TopTopics = withRooms(p.Topics.Topics)
	if len(p.TopTopics) > topTopics {
		p.TopTopics = p.TopTopics[:topTopics]
	}
	if s := currentSession(r); s != nil {
		p.IsMe = s.User.ID == id
	}
	path := "/profile/" + strconv.FormatInt(id, 10)
	keep := func(param string, page int) url.Values {
		q := url.Values{}
		if page > 1 {
			q.Set(param, strconv.Itoa(page))
		}
		return q
	}
	p.RoomsPager = newPagerParam(path, "rooms", keep("messages", msgsPage), roomsPage, p.Rooms.PerPage, p.Rooms.Total)
	p.RoomsPager.Label = "Pages of rooms hosted"
	p.MessagesPager = newPagerParam(path, "messages", keep("rooms", roomsPage), msgsPage, p.Messages.PerPage, p.Messages.Total)
	p.MessagesPager.Label = "Pages of messages"
	if redirectPastEnd(w, r, p.RoomsPager, p.MessagesPager) {
		return
	}
	a.render(w, r, http.StatusOK, "profile", view{Title: p.User.Name + " (@" + p.User.Username + ")", Nav: "profile", Data: p})
}

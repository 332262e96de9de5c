package app

import (
	"net/http"
	"net/url"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// topTopics is how many topics the home page's left column lists.
const topTopics = 5

// activityItems is how many recent messages the right column shows.
const activityItems = 8

type homePage struct {
	// Topic is the topic whose rooms are listed (?topic=), exactly.
	Topic     string
	Rooms     *contract.RoomPage
	Topics    *contract.TopicList
	TopTopics []contract.Topic
	Activity  []contract.Message
	Pager     pager
}

// handleHome shows the three columns: topics, the rooms matching ?q= or
// filed under ?topic= (a topic's link: exactly that topic, where q would
// also find "Django" for "go"), paginated, and recent activity filtered
// the same way.
func (a *App) handleHome(w http.ResponseWriter, r *http.Request) {
	q, topic := r.URL.Query().Get("q"), r.URL.Query().Get("topic")
	page := pageParam(r)
	var (
		rooms    *contract.RoomPage
		topics   *contract.TopicList
		activity *contract.MessagePage
	)
	err := parallel(
		func() (err error) {
			rooms, err = a.data.ListRooms(r.Context(), dataapi.RoomQuery{Q: q, Topic: topic, Page: page})
			return
		},
		func() (err error) { topics, err = a.data.ListTopics(r.Context(), ""); return },
		func() (err error) {
			activity, err = a.data.ListMessages(r.Context(), dataapi.MessageQuery{Q: q, Topic: topic})
			return
		},
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := homePage{Topic: topic, Rooms: rooms, Topics: topics, TopTopics: withRooms(topics.Topics), Activity: activity.Messages}
	if len(p.TopTopics) > topTopics {
		p.TopTopics = p.TopTopics[:topTopics]
	}
	if len(p.Activity) > activityItems {
		p.Activity = p.Activity[:activityItems]
	}
	query := url.Values{}
	if q != "" {
		query.Set("q", q)
	}
	if topic != "" {
		query.Set("topic", topic)
	}
	p.Pager = newPager("/", query, page, rooms.PerPage, rooms.Total)
	if redirectPastEnd(w, r, p.Pager) {
		return
	}
	a.render(w, r, http.StatusOK, "home", view{Query: q, Nav: "home", Data: p})
}

package app

import (
	"net/http"
	"net/url"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

// topTopics is how many topics the home page's left column lists.
const topTopics = 5

// activityItems is how many recent messages the right column shows (the
// data service sends as many; more would be cut).
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
// the same way. The data service answers all three in one call (GET
// /home): three calls side by side cost the page two more API Gateway →
// Lambda round trips, which on a busy 2-core machine took longer than the
// lists themselves (README, "Load test").
func (a *App) handleHome(w http.ResponseWriter, r *http.Request) {
	q, topic := r.URL.Query().Get("q"), r.URL.Query().Get("topic")
	page := pageParam(r)
	home, err := a.data.Home(r.Context(), dataapi.RoomQuery{Q: q, Topic: topic, Page: page})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rooms, topics := &home.Rooms, &home.Topics
	p := homePage{Topic: topic, Rooms: rooms, Topics: topics, TopTopics: withRooms(topics.Topics), Activity: home.Activity}
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

package app

import (
	"net/http"
	"strconv"

	"github.com/coolroom/testbed/lambda/service"
)

// topTopics is how many topics the home page's left column lists.
const topTopics = 5

type homePage struct {
	Query     string
	Rooms     *service.RoomPage
	Topics    *service.TopicList
	TopTopics []service.Topic
	PrevPage  int
	NextPage  int
}

// handleHome lists rooms matching ?q= and the topics column.
func (a *App) handleHome(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 {
		page = 1
	}
	rooms, err := a.data.ListRooms(r.Context(), q, page)
	if err != nil {
		a.dataServiceFailed(w, r, err)
		return
	}
	topics, err := a.data.ListTopics(r.Context(), "")
	if err != nil {
		a.dataServiceFailed(w, r, err)
		return
	}
	p := homePage{Query: q, Rooms: rooms, Topics: topics, TopTopics: topics.Topics}
	if len(p.TopTopics) > topTopics {
		p.TopTopics = p.TopTopics[:topTopics]
	}
	if page > 1 {
		p.PrevPage = page - 1
	}
	if rooms.PerPage > 0 && page*rooms.PerPage < rooms.Total {
		p.NextPage = page + 1
	}
	a.render(w, r, http.StatusOK, "home", p)
}

package app

import (
	"net/http"

	"github.com/coolroom/testbed/lambda/contract"
)

type topicsPage struct {
	Q      string
	Topics *contract.TopicList
}

// handleTopics lists every topic matching ?q= with its room count: the
// mobile view of the home page's left column.
func (a *App) handleTopics(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	topics, err := a.data.ListTopics(r.Context(), q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	topics.Topics = withRooms(topics.Topics)
	a.render(w, r, http.StatusOK, "topics", view{Title: "Browse topics", Nav: "topics", Data: topicsPage{Q: q, Topics: topics}})
}

// withRooms drops topics that no room is filed under any more (their rooms
// were deleted; topics themselves are never deleted): a topic listed with
// 0 would lead to an empty search.
func withRooms(topics []contract.Topic) []contract.Topic {
	kept := make([]contract.Topic, 0, len(topics))
	for _, t := range topics {
		if t.Rooms > 0 {
			kept = append(kept, t)
		}
	}
	return kept
}

package app

import (
	"net/http"

	"github.com/coolroom/testbed/app/dataapi"
)

type topicsPage struct {
	Q      string
	Topics *dataapi.TopicList
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
	a.render(w, r, http.StatusOK, "topics", view{Title: "Browse topics", Nav: "topics", Data: topicsPage{Q: q, Topics: topics}})
}

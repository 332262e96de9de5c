package app

import (
	"net/http"
	"net/url"

	"github.com/coolroom/testbed/app/dataapi"
	"github.com/coolroom/testbed/lambda/contract"
)

type activityPage struct {
	Messages *contract.MessagePage
	Pager    pager
}

// handleActivity lists the latest messages (filtered by ?q= like the
// room search), page by page: the mobile view of the right column.
func (a *App) handleActivity(w http.ResponseWriter, r *http.Request) {
	q, topic := r.URL.Query().Get("q"), r.URL.Query().Get("topic")
	page := pageParam(r)
	msgs, err := a.data.ListMessages(r.Context(), dataapi.MessageQuery{Q: q, Topic: topic, Page: page})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	query := url.Values{}
	if q != "" {
		query.Set("q", q)
	}
	if topic != "" {
		query.Set("topic", topic)
	}
	pg := newPager("/activity", query, page, msgs.PerPage, msgs.Total)
	if redirectPastEnd(w, r, pg) {
		return
	}
	a.render(w, r, http.StatusOK, "activity", view{Title: "Recent activity", Query: q, Nav: "activity", Data: activityPage{
		Messages: msgs, Pager: pg,
	}})
}

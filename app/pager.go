package app

import (
	"net/http"
	"net/url"
	"strconv"
)

// pager is the "previous / page N of M / next" bar under a list.
type pager struct {
	Page, Pages int
	PrevURL     string
	NextURL     string
	// LastURL is the last page's link: where a page past the end goes.
	LastURL string
	// Label names the list for screen readers when a page has several.
	Label string
}

// newPager builds the bar for a list of total items shown perPage at a
// time, paged by ?page=; links keep the other query parameters (the
// search).
func newPager(path string, query url.Values, page, perPage, total int) pager {
	return newPagerParam(path, "page", query, page, perPage, total)
}

// newPagerParam is newPager for a list paged by the query parameter
// param, so one page can paginate several lists independently: each
// list's links keep the others' parameters from query.
func newPagerParam(path, param string, query url.Values, page, perPage, total int) pager {
	p := pager{Page: page, Pages: 1}
	if perPage > 0 && total > 0 {
		p.Pages = (total + perPage - 1) / perPage
	}
	link := func(n int) string {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		if n <= 1 {
			q.Del(param)
		} else {
			q.Set(param, strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	p.LastURL = link(p.Pages)
	if page > 1 {
		p.PrevURL = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	return p
}

// pastEnd reports a page beyond the last one (a stale or hand-made link).
func (p pager) pastEnd() bool { return p.Page > p.Pages }

// redirectPastEnd sends a request for a page beyond the last one to the
// last page, so the list never claims "Page 99 of 2" or shows its empty
// state while there are items; it reports whether it did.
func redirectPastEnd(w http.ResponseWriter, r *http.Request, pagers ...pager) bool {
	for _, p := range pagers {
		if p.pastEnd() {
			http.Redirect(w, r, p.LastURL, http.StatusFound)
			return true
		}
	}
	return false
}

// pageParam reads ?page=, defaulting to 1.
func pageParam(r *http.Request) int { return intPageParam(r, "page") }

// intPageParam reads a 1-based page number from the query parameter
// name, defaulting to 1.
func intPageParam(r *http.Request, name string) int {
	n, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

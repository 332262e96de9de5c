package app

import (
	"net/url"
	"strconv"
)

// pager is the "previous / page N of M / next" bar under a list.
type pager struct {
	Page, Pages int
	PrevURL     string
	NextURL     string
}

// newPager builds the bar for a list of total items shown perPage at a
// time; links keep the other query parameters (the search).
func newPager(path string, query url.Values, page, perPage, total int) pager {
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
			q.Del("page")
		} else {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	}
	if page > 1 {
		p.PrevURL = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	return p
}

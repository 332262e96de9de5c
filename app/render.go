package app

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/coolroom/testbed/app/dataapi"
)

// pages holds one template set per page, each with the layout.
type pages struct {
	byName map[string]*template.Template
}

var pageNames = []string{"home", "room_form", "error"}

func parsePages() (*pages, error) {
	funcs := template.FuncMap{"timeAgo": timeAgo}
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("app: parse template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := a.pages.byName[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		a.log.Error("render", "page", name, "err", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

type errorPage struct {
	Query   string
	Title   string
	Message string
	Retry   bool
}

func (a *App) renderError(w http.ResponseWriter, r *http.Request, status int, title, message string, retry bool) {
	a.render(w, r, status, "error", errorPage{Title: title, Message: message, Retry: retry})
}

// dataServiceFailed renders the page for a failed data API call: the
// friendly 503 when API Gateway or the Lambda failed, a 500 otherwise.
func (a *App) dataServiceFailed(w http.ResponseWriter, r *http.Request, err error) {
	a.log.Error("data service call failed", "path", r.URL.Path, "err", err)
	if errors.Is(err, dataapi.ErrUnavailable) {
		a.renderError(w, r, http.StatusServiceUnavailable, "The data service is unavailable",
			"We could not reach the rooms service right now. Nothing was changed.", true)
		return
	}
	a.renderError(w, r, http.StatusInternalServerError, "Something went wrong", "The request could not be completed.", false)
}

// timeAgo formats how long ago t was, as the seed's "timesince" did.
func timeAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d.Hours()), "hour") + " ago"
	case d < 30*24*time.Hour:
		return plural(int(d.Hours()/24), "day") + " ago"
	case d < 365*24*time.Hour:
		return plural(int(d.Hours()/24/30), "month") + " ago"
	}
	return plural(int(d.Hours()/24/365), "year") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

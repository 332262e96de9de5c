package app

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/coolroom/testbed/lambda/contract"
)

// pages holds one template set per page, each with the layout and the
// shared partials; all are parsed once, at start-up.
type pages struct {
	byName map[string]*template.Template
}

var pageNames = []string{
	"home", "room", "profile", "room_form", "user_form", "login", "register",
	"confirm_delete", "topics", "activity", "error",
}

func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":     assetURL,
		"avatarURL": avatarURL,
		"timeAgo":   timeAgo,
		"isoTime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"plural":    pluralWord,
		"initial":   initial,
		"isMe": func(me *contract.UserSummary, id int64) bool {
			return me != nil && me.ID == id
		},
		// dict passes several values to a partial.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key/value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

func parsePages() (*pages, error) {
	p := &pages{byName: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(templateFuncs()).ParseFS(templateFS,
			"templates/layout.html", "templates/partials.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("app: parse template %s: %w", name, err)
		}
		p.byName[name] = t
	}
	return p, nil
}

// view is what every page template gets: the layout's data (who is logged
// in, flash messages, the search box) and the page's own data in Data.
type view struct {
	Title   string
	Query   string
	Me      *contract.UserSummary
	Flashes []flash
	// Nav marks the current top-level section in the header.
	Nav  string
	Data any
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	if s := currentSession(r); s != nil {
		me := s.User
		v.Me = &me
	}
	v.Flashes = append(v.Flashes, a.takeFlashes(w, r)...)
	var buf bytes.Buffer
	if err := a.pages.byName[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		a.log.Error("render", "page", name, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("Something went wrong while showing this page. The problem has been logged."))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages show per-user content; only static files and avatars are cached.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// fragment renders one partial (e.g. a room message) to a string.
func (a *App) fragment(name string, data any) (string, error) {
	var buf bytes.Buffer
	err := a.pages.byName["room"].ExecuteTemplate(&buf, name, data)
	return buf.String(), err
}

// avatarURL is where the browser loads a user's avatar: the app streams
// uploaded ones from S3; users without one get the default.
func avatarURL(key string) (string, error) {
	if validAvatarKey(key) {
		return "/" + key, nil
	}
	return assetURL("avatar.svg")
}

// initial is the first letter of a name, for compact displays.
func initial(s string) string {
	for _, r := range s {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// timeAgo formats how long ago t was, as the seed's "timesince" did.
func timeAgo(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return pluralWord(int(d.Minutes()), "minute") + " ago"
	case d < 24*time.Hour:
		return pluralWord(int(d.Hours()), "hour") + " ago"
	case d < 30*24*time.Hour:
		return pluralWord(int(d.Hours()/24), "day") + " ago"
	case d < 365*24*time.Hour:
		return pluralWord(int(d.Hours()/24/30), "month") + " ago"
	}
	return pluralWord(int(d.Hours()/24/365), "year") + " ago"
}

// pluralWord is "1 room", "3 rooms".
func pluralWord(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

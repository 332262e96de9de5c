package classroom

// The demo classroom: a small study group with a few topics, rooms and a
// conversation in each, so every page (home, topics, activity, profiles,
// pagination of the activity feed) has something to show on a first run.

// Password is every demo user's password. It is printed in the banner: the
// demo runs on loopback, for a class, never with real data.
const Password = "study-together-2026"

// emailDomain is a reserved domain (RFC 2606), so no demo address is real.
const emailDomain = "example.edu"

// person is a demo user; Hue colours the generated avatar.
type person struct {
	Username, Name, Bio string
	Hue                 float64
}

var people = []person{
	{"ada", "Ada Park", "Teaching assistant for Cloud Computing. Ask me about Lambda cold starts.", 210},
	{"bob", "Bob Builder", "Second-year student. I build things, then I read the docs.", 30},
	{"chen", "Chen Wei", "Databases nerd: indexes, query plans and the occasional VACUUM.", 140},
	{"dana", "Dana Scott", "Python first, Go second, coffee always.", 300},
	{"eve", "Eve Martin", "Security club. I will try to inject SQL into your room names.", 0},
}

// room is a demo room; Host indexes people and Messages are posted in
// order, each by people[Author].
type room struct {
	Host                     int
	Topic, Name, Description string
	Messages                 []line
}

type line struct {
	Author int
	Body   string
}

var rooms = []room{
	{0, "Cloud", "Lambda cold starts, explained", "Why the first request is slow and what a warm instance is. Watch the console while you post!", []line{
		{0, "Open the console at :4566/_console next to this page, then post something here."},
		{1, "The first request said \"cold start\" and took ages. The second one was 2 ms?"},
		{0, "Exactly: the first started a new bootstrap process; the second reused it."},
		{3, "How long does an instance stay warm?"},
		{0, "On AWS it is not documented; the emulator reaps idle instances after ten minutes."},
	}},
	{0, "Cloud", "API Gateway routes and stages", "Route keys, $default, stages and the invoke URL.", []line{
		{2, "What is the difference between the $default route and the $default stage?"},
		{0, "The route catches requests no other route matches; the stage is served without a prefix in the URL."},
		{4, "So an unknown path goes to the $default route and still reaches the function?"},
		{0, "Yes: try GET /nope and look at the route key in the trace."},
	}},
	{1, "Cloud", "S3 for static files", "Buckets, keys, content types and caching headers.", []line{
		{1, "Why do the CSS files have a hash in their names?"},
		{2, "So they can be cached forever: a change gives a new name."},
		{1, "Makes sense. And avatars are under avatars/<user id>/."},
	}},
	{2, "Databases", "PostgreSQL indexes 101", "B-trees, trigram indexes and reading EXPLAIN.", []line{
		{2, "Today: why does searching rooms not scan the whole table?"},
		{3, "Because of the trigram indexes on names and descriptions?"},
		{2, "Right. EXPLAIN shows a BitmapOr over them."},
		{4, "And a LIKE with a % at the start still uses them?"},
		{2, "With pg_trgm, yes. A plain B-tree could not."},
	}},
	{2, "Databases", "Transactions and isolation", "What READ COMMITTED really means.", []line{
		{1, "Is two people joining a room at once a race?"},
		{2, "Not here: the insert uses ON CONFLICT DO NOTHING on the primary key."},
	}},
	{4, "Databases", "SQL injection: try to break it", "Every query is parameterised. Prove it wrong.", []line{
		{4, "Robert'); DROP TABLE rooms;-- says hi"},
		{1, "The room list is still there, so I guess that did not work."},
		{4, "Parameters all the way down. Next target: the search box."},
	}},
	{3, "Python", "Django to Go: what changed", "Porting the StudyBud tutorial app.", []line{
		{3, "Templates map almost one to one: {% for %} became {{range}}."},
		{0, "And the ORM became plain SQL in one package."},
		{3, "Which is why it is so easy to read."},
	}},
	{3, "Python", "Python study group", "Weekly exercises, questions welcome.", []line{
		{3, "This week: list comprehensions and generators."},
		{1, "Is a generator expression lazy?"},
		{3, "Yes, it yields one value at a time."},
		{2, "Like a database cursor."},
	}},
	{1, "Go", "Goroutines and channels", "Concurrency in Go for beginners.", []line{
		{1, "When do I need a mutex and when a channel?"},
		{0, "Share memory by communicating, but a mutex is fine for a counter."},
		{4, "And run the race detector: go test -race."},
	}},
	{0, "Go", "Project help: the Cool Room", "Questions about this very app and its tests.", []line{
		{0, "Run go test ./... to see the end-to-end suite go through every hop."},
		{3, "Does it really start PostgreSQL for the tests?"},
		{0, "A throwaway cluster, yes, from the local binaries."},
		{2, "Nice. I will add a test for my first bug fix."},
	}},
}

package tests

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/chromedp/chromedp"

	"github.com/coolroom/testbed/internal/browsertest"
	"github.com/coolroom/testbed/internal/drill"
	"github.com/coolroom/testbed/internal/drill/awsdrill"
	"github.com/coolroom/testbed/internal/stack"

	"github.com/coolroom/testbed/internal/syncbuf"
)

// walkIntegrationTimeout stands in for API Gateway's 30 s integration
// timeout during TestWalkthrough's slow drill, so its 503 takes seconds:
// the drill itself (a 35 s sleep, the function timeout raised past it) is
// the one `coolroom up` runs, so the gateway still gives up first. The
// test sets it with UpdateIntegration, as one would on AWS, only for that
// drill: a cold start on a busy machine can take more than that.
const walkIntegrationTimeout = 3 * time.Second

// TestWalkthrough follows docs/walkthrough.md step by step in Chromium on
// a fresh stack started as `coolroom up` starts it (the demo classroom
// seeded through the data API), with the console in one tab and the app
// in another, and checks each step's claim on the screen: what the deploy
// made, the home page's calls arriving live, the matched route and path
// parameter of each trace, the function log, the search by the page's
// X-Request-Id, the warm instances as real processes; then the "Break it"
// chapter: each drill clicked in the console, the student's message kept
// on the app's 503 page, the trace showing what the table says, Restore
// and Try again posting the message once. A screenshot of every step is
// saved ($COOLROOM_SCREENSHOTS or the temporary directory; paths printed).
func TestWalkthrough(t *testing.T) {
	if browsertest.Path() == "" {
		t.Skip(browsertest.SkipReason)
	}
	t.Parallel()
	started := time.Now()

	// Step 1: start everything, as `up` does, demo classroom included.
	var logs syncbuf.Buffer
	st, skip, err := startStackWith("", slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})), "walkthrough")
	if skip != "" {
		t.Skip(skip)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	skipUnlessEmulator(t, st)
	ctx := context.Background()
	fn := st.DeployConfig.FunctionName
	t.Cleanup(func() {
		_, _ = drill.Run(context.Background(), awsdrill.New(st.AWS, aws.ToString(endpoint(st))), fn, drill.Restore)
	})
	seeded, err := st.SeedClassroom(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%d users, %d topics, %d rooms, %d messages", len(seeded.Logins), seeded.Topics, seeded.Rooms, seeded.Messages); got != "5 users, 4 topics, 10 rooms, 36 messages" {
		t.Errorf("step 1: the demo classroom has %s; the walkthrough says 5 users, 4 topics, 10 rooms, 36 messages", got)
	}
	var bob struct{ Email, Password string }
	for _, l := range seeded.Logins {
		if l.Email == "bob@example.edu" {
			bob.Email, bob.Password = l.Email, l.Password
		}
	}
	if bob.Password != "study-together-2026" {
		t.Fatalf("step 1: no demo login bob@example.edu / study-together-2026 among %+v", seeded.Logins)
	}
	t.Logf("step 1: stack up and classroom seeded after %s", time.Since(started).Round(time.Millisecond))

	browser := browsertest.Tab(t, 1360, 900)
	dir := browsertest.ScreenshotDir(t, "walkthrough")
	var shots []string
	shot := func(c context.Context, name, scrollTo string) {
		shots = append(shots, browsertest.Shot(t, c, dir, name, scrollTo))
		t.Logf("%s at %s", name, time.Since(started).Round(time.Millisecond))
	}
	run := func(c context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		browsertest.Steps(t, c, step, actions...)
	}
	waitFor := func(expr string) chromedp.Action[chromedp.Void] { return browsertest.WaitFor(expr, 20*time.Second) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	q := strconv.Quote
	eval := func(c context.Context, step, expr string) string {
		t.Helper()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %s: %v", step, expr, err)
		}
		return v
	}
	// claim checks a JavaScript condition the walkthrough states. The
	// console updates live (server-sent events), so a claim may come true a
	// moment after the action behind it, later on a busy machine (a claim
	// read once failed in CI): it gets the few seconds a reader would.
	claim := func(c context.Context, step, what, expr string) {
		t.Helper()
		if err := chromedp.Do(c, browsertest.WaitFor(expr, 10*time.Second)); err != nil {
			t.Errorf("%s: the walkthrough says %s; on the screen it is not so (%v)", step, what, err)
		}
	}
	tab := func() context.Context { return browsertest.NewTab(t, browser, 1360, 900) }
	// trace finds the newest gateway trace whose matched route is key.
	trace := func(key string) string {
		return `[...document.querySelectorAll("#traces article.trace")].find(t => t.querySelector("code.route")?.textContent === ` + q(key) + `)`
	}

	// Step 2: the console already shows what the deploy made.
	console := tab()
	run(console, "step 2: open the console", chromedp.Navigate(st.EmulatorURL+"/_console/"),
		chromedp.WaitVisible(css("#fn-"+fn+" .instances")))
	bucket := `document.querySelector("#buckets .bucket[data-name='` + st.Deploy.Bucket + `']")`
	claim(console, "step 2", "the bucket lists static/… objects with size, content type, age and a download link, and the 5 demo avatars",
		`[...`+bucket+`.querySelectorAll("tr.object")].filter(r => r.querySelector(".key").textContent.startsWith("static/") &&
			/\d/.test(r.children[1].textContent) && r.children[2].textContent.includes("/") && r.children[3].textContent.includes("ago") &&
			r.querySelector("a.download")).length >= 3 && `+bucket+`.textContent.includes("text/css") &&
			[...`+bucket+`.querySelectorAll("tr.object .key")].filter(k => k.textContent.startsWith("avatars/")).length === 5`)
	card := `document.querySelector("#fn-` + fn + `")`
	claim(console, "step 2", "the function shows its runtime provided.al2023, memory, timeout and code hash",
		card+`.querySelector("dl.config").textContent.includes("provided.al2023") && /\d+ MB · 10 s/.test(`+card+`.querySelector("dl.config").textContent) &&
			`+card+`.querySelector("dl.config code[title]").title.length > 20`)
	claim(console, "step 2", "the environment's secrets are masked",
		`[...`+card+`.querySelectorAll("details table.kvtable tr")].some(r => r.querySelector("th").textContent === "TOKEN_SECRET" && r.querySelector("td").textContent.includes("hidden")) &&
			!`+card+`.textContent.includes(`+q(st.DeployConfig.Env["TOKEN_SECRET"])+`)`)
	claim(console, "step 2", "Warm instances already lists one or more bootstrap processes",
		card+`.querySelectorAll("table.instances tr.instance").length >= 1`)
	api := `document.querySelector("#apis .api[data-id='` + st.Deploy.APIID + `']")`
	routes := `[...` + api + `.querySelectorAll("tr.route")]`
	claim(console, "step 2", "the HTTP API has 19 routes, one per endpoint and $default, all AWS_PROXY payload 2.0",
		routes+`.length === 19 && ["GET /rooms", "POST /rooms", "GET /rooms/{id}", "PATCH /rooms/{id}", "$default"].every(k => `+routes+`.some(r => r.querySelector(".route-key").textContent === k)) &&
			`+routes+`.every(r => r.children[1].textContent.includes("AWS_PROXY · payload 2.0"))`)
	claim(console, "step 2", "the $default stage and the invoke URLs",
		`[...`+api+`.querySelectorAll(".stages .chip")].some(c => c.textContent.startsWith("$default")) && `+api+`.querySelector("a.invoke-url").href.includes(`+q(st.Deploy.APIID)+`)`)
	claim(console, "step 2", "the request traces already hold the demo classroom being created",
		`[...document.querySelectorAll("#traces article.trace")].some(t => t.querySelector(".method")?.textContent === "POST" && t.querySelector(".path").textContent.endsWith("/messages"))`)
	shot(console, "02-console-after-deploy", "#functions")

	// Step 3: the home page's calls arrive in the console without a reload.
	run(console, "step 3: keep the console open", chromedp.Evaluate[chromedp.Void](`window.__noReload = true`))
	app := tab()
	home, err := chromedp.RunResponse(app, chromedp.Navigate(st.AppURL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	homeID, _ := home.Headers["X-Request-Id"].(string)
	if homeID == "" {
		t.Fatalf("step 3: the home page has no X-Request-Id header: %v", home.Headers)
	}
	run(app, "step 3: the home page", chromedp.WaitVisible(css("#room-count")))
	claim(app, "step 3", "the home page shows the demo rooms", `document.querySelector("#room-count").textContent.startsWith("10 rooms available")`)
	shot(app, "03-app-home", "")
	pageView := func(id string) string {
		return `document.querySelector("#traces section.pageview[data-request-id='` + id + `']")`
	}
	run(console, "step 3: the page view arrives live", waitFor(`!!`+pageView(homeID)),
		waitFor(`window.__noReload === true`))
	claim(console, "step 3", "the home page calls the data API once, GET /home, for rooms, topics and recent activity",
		`(() => { const keys = [...`+pageView(homeID)+`.querySelectorAll("code.route")].map(c => c.textContent);
			return keys.length === 1 && keys[0] === "GET /home" })()`)
	shot(console, "03-console-home-page-view", "#traces section.pageview[data-request-id='"+homeID+"']")

	// Step 4: log in as the demo user, create a room, open it.
	run(app, "step 4: log in as bob", chromedp.Navigate(st.AppURL+"/login"),
		chromedp.SendKeys(css("#email"), bob.Email), chromedp.SendKeys(css("#password"), bob.Password),
		chromedp.Click(css(`main form button[type="submit"]`)), chromedp.WaitVisible(css(".account .me")))
	roomName := "Walkthrough room " + uniqueName("w")
	run(app, "step 4: create a room", chromedp.Navigate(st.AppURL+"/create-room"), chromedp.WaitVisible(css("#topic")),
		chromedp.SendKeys(css("#topic"), "Cloud"), chromedp.SendKeys(css("#name"), roomName),
		chromedp.Click(css(`main form button[type="submit"]`)), chromedp.WaitVisible(css("#room-title")))
	roomPath := eval(app, "step 4", `location.pathname`)
	roomID := strings.TrimPrefix(roomPath, "/room/")
	if _, err := strconv.Atoi(roomID); err != nil {
		t.Fatalf("step 4: the new room's page is %q", roomPath)
	}
	shot(app, "04-app-room-created", "")
	run(console, "step 4: POST /rooms and GET /rooms/{id} arrive without a reload", waitFor(`!!`+trace("POST /rooms")), waitFor(`!!`+trace("GET /rooms/{id}")),
		waitFor(`window.__noReload === true`))
	post, get := trace("POST /rooms"), trace("GET /rooms/{id}")
	claim(console, "step 4", "the API Gateway hop shows the request id, the route POST /rooms, the stage and the event version",
		post+`.dataset.apigwId.length > 8 && `+post+`.querySelector(".hop.gw a.id").textContent === `+post+`.dataset.apigwId &&
			`+post+`.querySelector(".hop.gw").textContent.includes("stage $default") && `+post+`.querySelector(".hop.gw").textContent.includes("event 2.0") &&
			/\d/.test(`+post+`.querySelector(".hop.gw .t-routing").textContent)`)
	claim(console, "step 4", "opening the room shows GET /rooms/{id} with {id} = the room's id",
		`[...document.querySelectorAll("#traces article.trace")].some(t => t.querySelector("code.route")?.textContent === "GET /rooms/{id}" &&
			t.querySelector(".path-param")?.textContent.replace(/\s+/g, " ").trim() === `+q("{id} = "+roomID)+`)`)
	claim(console, "step 4", "the Lambda hop shows the function, the instance, its pid, cold start or warm, the Lambda request id and its time",
		`(() => { const h = `+post+`.querySelector(".hop.fn"); return h.querySelector(".fnlink").textContent === `+q(fn)+` &&
			h.querySelector(".instance").textContent.startsWith(`+q(fn+"-")+`) && /^\d+$/.test(h.querySelector(".pid-value").textContent) &&
			!!h.querySelector(".badge.cold, .badge.warm") && /^[0-9a-f-]{36}$/.test(h.querySelector(".lambda-id").textContent) &&
			/\d/.test(h.querySelector(".t-lambda").textContent) })()`)
	claim(console, "step 4", "the PostgreSQL hop shows the time waiting on the database, from Server-Timing",
		post+`.querySelector(".hop.db").textContent.includes("Server-Timing") && /\d/.test(`+post+`.querySelector(".hop.db .t-db").textContent)`)
	claim(console, "step 4", "the calls are grouped under the page view POST /create-room with the app's own time",
		`(p => p.querySelector("header .method").textContent === "POST" && p.querySelector("header .path").textContent === "/create-room" &&
			/\d/.test(p.querySelector(".t-app").textContent) && `+post+`.querySelector(".client-id").textContent === p.dataset.requestId)(`+post+`.closest("section.pageview"))`)
	claim(console, "step 4", "the Response hop shows the status the app received (201) and the mapping time",
		post+`.querySelector(".hop.resp .status").textContent === "201" && /\d/.test(`+post+`.querySelector(".hop.resp .t-response").textContent) && `+get+`.querySelector(".hop.resp .status").textContent === "200"`)
	claim(console, "step 4", "the coloured bar is purple for the gateway, orange for Lambda, green for the response",
		`(() => { const hue = c => { const [r, g, b] = getComputedStyle(`+post+`.querySelector(".waterfall .seg." + c)).backgroundColor.match(/\d+/g).map(Number);
			return r > g && b > g ? "purple" : r > b && g > b && r > g ? "orange" : g > r && g > b ? "green" : "other" };
			return hue("gw") === "purple" && hue("fn") === "orange" && hue("resp") === "green" })()`)
	// A path no route knows: $default, and the function's contract 404.
	resp, err := http.Get(st.Deploy.InvokeURL + "/no-such-thing")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"error"`) {
		t.Errorf("step 4: GET /no-such-thing through API Gateway = %d %s, want the contract's JSON 404", resp.StatusCode, body)
	}
	run(console, "step 4: $default", waitFor(`[...document.querySelectorAll("#traces article.trace")].some(t => t.querySelector("code.route")?.textContent === "$default" &&
		t.querySelector(".path").textContent.endsWith("/no-such-thing") && t.querySelector(".hop.resp .status").textContent === "404")`))
	shot(console, "04-console-routes-and-hops", "#traces article.trace[data-apigw-id='"+eval(console, "step 4", post+`.dataset.apigwId`)+"']")

	// Step 5: the function's log around what the data service printed.
	postID := eval(console, "step 5", post+`.dataset.apigwId`)
	run(console, "step 5: open the function log", browsertest.Click(`#traces article.trace[data-apigw-id="`+postID+`"] details.log summary`))
	claim(console, "step 5", "the function log has START, END and REPORT around a JSON line with request_id and apigw_request_id",
		`(() => { const log = document.querySelector('#traces article.trace[data-apigw-id="`+postID+`"] pre.log').textContent;
			return ["START RequestId", "END RequestId", "REPORT RequestId", '"request_id":"', '"apigw_request_id":"`+postID+`"'].every(s => log.includes(s)) })()`)
	shot(console, "05-console-function-log", `#traces article.trace[data-apigw-id="`+postID+`"]`)

	// Step 6: search by a page's X-Request-Id (the profile's, whose calls
	// run side by side), then by a gateway id.
	profilePath := eval(app, "step 6", `document.querySelector(".account .me").getAttribute("href")`)
	profile, err := chromedp.RunResponse(app, chromedp.Navigate(st.AppURL+profilePath))
	if err != nil {
		t.Fatal(err)
	}
	profileID, _ := profile.Headers["X-Request-Id"].(string)
	if profileID == "" {
		t.Fatalf("step 6: the profile page has no X-Request-Id header: %v", profile.Headers)
	}
	const searched = `new URLSearchParams(location.search).get("q")`
	run(console, "step 6: search by the page's X-Request-Id",
		chromedp.SetValue(css("#search input[name=q]"), profileID), chromedp.Submit(css("#search")),
		waitFor(searched+` === `+q(profileID)+` && !!`+pageView(profileID)+` && document.querySelectorAll("#traces section.pageview").length === 1`))
	claim(console, "step 6", "the console finds every API Gateway call that page made",
		pageView(profileID)+`.querySelectorAll("article.trace").length >= 3 && [...`+pageView(profileID)+`.querySelectorAll("article.trace .client-id")].every(a => a.textContent === `+q(profileID)+`)`)
	shot(console, "06-console-search-page-id", "")
	if !regexp.MustCompile(`msg=request .*request_id=` + regexp.QuoteMeta(homeID) + ` .*apigw_request_ids=`).MatchString(logs.String()) {
		t.Errorf("step 6: the app logged no msg=request line with request_id=%s and its apigw_request_ids", homeID)
	}
	run(console, "step 6: search by route", chromedp.SetValue(css("#search input[name=q]"), "POST /rooms"), chromedp.Submit(css("#search")),
		waitFor(searched+` === "POST /rooms" && [...document.querySelectorAll("#traces article.trace")].length >= 1 &&
			[...document.querySelectorAll("#traces article.trace code.route")].every(c => c.textContent.startsWith("POST /rooms"))`))
	run(console, "step 6: clear the search", browsertest.Click("#traces a.clear"), waitFor(`!location.search && !!`+post))
	run(console, "step 6: click a request id", browsertest.Click(`#traces article.trace[data-apigw-id="`+postID+`"] .hop.gw a.id`),
		waitFor(searched+` === `+q(postID)+` && document.querySelectorAll("#traces article.trace").length === 1`))
	claim(console, "step 6", "the trace's log opens with the matching lines highlighted",
		`document.querySelector("#traces details.log").open && !!document.querySelector("#traces pre.log .line.match")`)
	// The function cards update after the traces: wait for them.
	run(console, "step 6: each function's recent invocations are filtered to the request",
		waitFor(card+`.querySelectorAll("details.invocation").length === 1 && `+card+`.querySelector("details.invocation").open`))
	shot(console, "06-console-search-gateway-id", "")

	// Step 7: warm instances are real processes; a few pages at once
	// start more (scale-out).
	run(app, "step 7: open a few pages at once", chromedp.Evaluate[chromedp.Void](
		`Promise.all(["/", "/topics", "/activity", "/"].map(p => fetch(p)))`, chromedp.EvalAwaitPromise))
	run(console, "step 7: see the instances", waitFor(card+`.querySelectorAll("table.instances tr.instance").length >= 2`))
	pids := eval(console, "step 7", `[...`+card+`.querySelectorAll("table.instances tr.instance")].map(r => r.dataset.pid + ":" + r.querySelector(".count").textContent).join(" ")`)
	for _, pc := range strings.Fields(pids) {
		pid, _ := strconv.Atoi(strings.Split(pc, ":")[0])
		if n, _ := strconv.Atoi(strings.Split(pc, ":")[1]); pid == 0 || n < 1 {
			t.Errorf("step 7: instance %q has no pid or invocation count", pc)
		} else if err := syscall.Kill(pid, 0); err != nil {
			t.Errorf("step 7: pid %d is not a running process (ps -p would show nothing): %v", pid, err)
		} else if cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); len(cmd) > 0 && !bytes.Contains(cmd, []byte("bootstrap")) {
			t.Errorf("step 7: pid %d is %q, not a bootstrap", pid, cmd)
		}
	}
	shot(console, "07-console-warm-instances", "#fn-"+fn)

	// Break it: each drill from the console while the student has the
	// room open.
	table := map[string]struct {
		status string
		hops   string // what the trace shows, as a JavaScript condition on t
	}{
		drill.Crash: {"500", `t.querySelector(".hop.fn .badge.cold") && t.querySelector(".hop.fn .badge.err")?.textContent === "Runtime.ExitError" &&
			t.querySelector(".hop.resp .err")?.textContent.includes("function error: Runtime.ExitError") &&
			t.querySelector("pre.log").textContent.trim().split("\n").some(l => l.includes("drill crash: exiting in the middle of the invocation"))`},
		drill.Slow: {"503", `t.querySelector(".hop.resp .err")?.textContent === ` + q("integration timed out after "+walkIntegrationTimeout.String())},
		drill.Throttle: {"500", `!t.querySelector(".hop.fn .instance") &&
			t.querySelector(".hop.resp .err")?.textContent === "invoke failed: TooManyRequestsException: Rate Exceeded."`},
		drill.DBDown: {"500", `t.querySelector(".hop.fn .badge.cold") && t.querySelector(".hop.fn .badge.err")?.textContent === "Runtime.ExitError" &&
			t.querySelector("pre.log").textContent.includes("cannot open the database")`},
	}
	for i, kind := range []string{drill.Crash, drill.Slow, drill.Throttle, drill.DBDown} {
		step := "break it: " + kind
		name := fmt.Sprintf("%02d-%s", 10+i, kind)
		if kind == drill.Slow {
			setIntegrationTimeout(t, st, walkIntegrationTimeout)
		}
		run(app, step+": open the room", chromedp.Navigate(st.AppURL+roomPath), chromedp.WaitVisible(css("form.message-form #body")))
		run(console, step+": click the drill", browsertest.Click(fmt.Sprintf("#fn-%s form.drills button.drill-%s", fn, kind)),
			waitFor(`document.querySelector("#drill .drill-name")?.textContent === `+q(kind)),
			waitFor(`document.querySelector("#fn-`+fn+` .drill-on")?.textContent === `+q("drill: "+kind)))
		claim(console, step, "the console says which Lambda API calls were made and what each hop answers",
			`[...document.querySelectorAll("#drill .drill-calls code")].some(c => c.textContent.startsWith("UpdateFunctionConfiguration")) &&
				document.querySelector("#drill .drill-expect").textContent.includes("API Gateway")`)
		text := fmt.Sprintf("typed during the %s drill", kind)
		run(app, step+": send a message", chromedp.SendKeys(css("form.message-form #body"), text),
			chromedp.Click(css(`form.message-form button[type="submit"]`)),
			waitFor(`document.querySelector("h1")?.textContent === "The data service is unavailable"`))
		claim(app, step, "the student sees 503 with the typed message in a box titled “Your message (not sent yet)” and a Try again button",
			`document.querySelector(".status-code").textContent === "503" && document.querySelector("form.resend label").textContent === "Your message (not sent yet)" &&
				document.querySelector("form.resend textarea#body").value === `+q(text)+` && document.querySelector("form.resend button").textContent.trim() === "Try again"`)
		shot(app, name+"-app", "")
		tc := table[kind]
		failed := `[...document.querySelectorAll("#traces article.trace")].find(t => t.querySelector(".method")?.textContent === "POST" && t.querySelector(".path").textContent.endsWith("/rooms/` + roomID + `/messages"))`
		run(console, step+": the failed call's trace", waitFor(`(t => !!t && t.querySelector(".hop.resp .status").textContent === `+q(tc.status)+`)(`+failed+`)`))
		claim(console, step, "the trace shows the table's row for "+kind, `(t => !!(`+tc.hops+`))(`+failed+`)`)
		shot(console, name+"-console", "#drill")
		run(console, step+": restore", browsertest.Click(fmt.Sprintf("#fn-%s form.drills button.drill-restore", fn)),
			waitFor(`document.querySelector("#drill .drill-name")?.textContent === "restore"`),
			waitFor(`!document.querySelector("#fn-`+fn+` .drill-on")`))
		if kind == drill.Slow {
			setIntegrationTimeout(t, st, 30*time.Second)
		}
		run(app, step+": try again", chromedp.Click(css(`form.resend button[type="submit"]`)),
			waitFor(`[...document.querySelectorAll(".message")].some(m => m.textContent.includes(`+q(text)+`))`))
		claim(app, step, "the kept message is posted once", `[...document.querySelectorAll(".message")].filter(m => m.textContent.includes(`+q(text)+`)).length === 1`)
		shot(app, name+"-restored", "")
	}
	t.Logf("walkthrough: %d screenshots in %s after %s", len(shots), dir, time.Since(started).Round(time.Millisecond))
}

// setIntegrationTimeout changes the timeout of the stack's API Gateway
// integrations through the API Gateway API.
func setIntegrationTimeout(t *testing.T, st *stack.Stack, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	gw := apigatewayv2.NewFromConfig(st.AWS, func(o *apigatewayv2.Options) { o.BaseEndpoint = endpoint(st) })
	out, err := gw.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(st.Deploy.APIID)})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range out.Items {
		if _, err := gw.UpdateIntegration(ctx, &apigatewayv2.UpdateIntegrationInput{ApiId: aws.String(st.Deploy.APIID),
			IntegrationId: i.IntegrationId, TimeoutInMillis: aws.Int32(int32(d.Milliseconds()))}); err != nil {
			t.Fatal(err)
		}
	}
}

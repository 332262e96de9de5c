package tests

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"image/color"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/coolroom/testbed/deploy"
)

// composeProject is the project name compose.yaml sets.
const composeProject = "coolroom"

// replicaHeader is set by the load balancer (deploy/compose/Caddyfile) to
// the address of the app replica that answered.
const replicaHeader = "X-Coolroom-Replica"

// compose runs `docker compose` in the module root and returns its output.
type compose struct {
	t    *testing.T
	root string
}

func (c compose) run(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", append([]string{"compose", "--project-directory", c.root}, args...)...)
	cmd.Dir = c.root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func (c compose) must(ctx context.Context, args ...string) string {
	c.t.Helper()
	out, err := c.run(ctx, args...)
	if err != nil {
		c.t.Fatalf("docker compose %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// docker runs the docker CLI and returns its trimmed output.
func docker(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// skipWithoutCompose skips (one line) unless a Docker engine and the
// compose plugin answer.
func skipWithoutCompose(t *testing.T) {
	t.Helper()
	if out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput(); err != nil {
		t.Skipf("compose test: no Docker engine answers (docker info: %v: %s)", err, firstLine(string(out)))
	}
	if out, err := exec.Command("docker", "compose", "version").CombinedOutput(); err != nil {
		t.Skipf("compose test: no docker compose plugin (%v: %s); scripts/docker-offline builds one", err, firstLine(string(out)))
	}
	// The base images, as Dockerfile and compose.yaml default them: without
	// a registry a pull fails, so they must be here (the stand-ins that
	// scripts/docker-offline makes, selected by these variables).
	var images []string
	for _, b := range []struct{ env, def string }{
		{"GO_IMAGE", "golang:1.26-bookworm"},
		{"RUNTIME_IMAGE", "gcr.io/distroless/static-debian12:nonroot"},
		{"POSTGRES_IMAGE", "postgres:16-alpine"},
		{"CADDY_IMAGE", "caddy:2-alpine"},
	} {
		images = append(images, cmp.Or(os.Getenv(b.env), b.def))
	}
	inspect := exec.Command("docker", append([]string{"image", "inspect", "-f", "{{.Id}}"}, images...)...)
	var stderr bytes.Buffer
	inspect.Stderr = &stderr
	if err := inspect.Run(); err != nil {
		t.Skipf("compose test: base images not on the Docker host (%s); pull them, or where there is no registry: eval \"$(scripts/docker-offline)\"", firstLine(stderr.String()))
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// TestComposeStack builds and starts compose.yaml's stack (emulator
// profile), then walks a user through the load balancer over HTTPS,
// checks the load spreads over both app replicas and survives one
// stopping, that the Lambda runs inside the emulator container and reaches
// PostgreSQL by its service name, and that `down -v` leaves nothing.
func TestComposeStack(t *testing.T) {
	t.Parallel()
	skipWithoutCompose(t)
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	c := compose{t: t, root: root}
	if out, _ := c.run(ctx, "ps", "-a", "-q"); strings.TrimSpace(out) != "" {
		// The test needs ports 80 and 443 and a clean start: a leftover
		// project (an interrupted run, or the demo) goes first.
		t.Logf("removing the %q compose project already here", composeProject)
		c.must(ctx, "down", "-v", "--remove-orphans")
	}

	start := time.Now()
	c.must(ctx, "build")
	t.Logf("docker compose build: %s", time.Since(start).Round(time.Millisecond))

	tornDown := false
	t.Cleanup(func() {
		if t.Failed() && !tornDown {
			logs, _ := c.run(context.Background(), "logs", "--no-color", "--tail", "30", "lb", "app", "aws", "deploy")
			t.Logf("compose logs:\n%s", logs)
		}
		if !tornDown {
			out, _ := c.run(context.Background(), "down", "-v", "--remove-orphans")
			t.Logf("cleanup: docker compose down -v\n%s", out)
		}
	})
	up := time.Now()
	if out, err := c.run(ctx, "up", "-d", "--wait"); err != nil {
		logs, _ := c.run(ctx, "logs", "--no-color", "--tail", "40")
		t.Fatalf("docker compose up -d --wait: %v\n%s\n--- logs ---\n%s", err, out, logs)
	}
	t.Logf("docker compose up -d --wait: %s", time.Since(up).Round(time.Millisecond))

	client := caddyClient(t, c, ctx)
	const base = "https://localhost"
	firstOK := waitForHTTPS(t, client, base+"/", up)
	fmt.Printf("compose: docker compose up → first HTTPS 200 through the load balancer: %s\n", firstOK.Round(time.Millisecond))

	t.Run("HTTP redirects to HTTPS", func(t *testing.T) {
		plain := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := plain.Get("http://localhost/rooms?q=x")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "https://localhost/rooms?q=x" {
			t.Errorf("GET http://localhost/rooms?q=x = %d Location %q, want 308 to https", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	v := newVisitor(t, base)
	v.c.Transport = client.Transport
	v.register("compose")
	room := v.createRoom("Compose room", "Containers", "made through the load balancer")
	v.postMessage(room, "hello from compose")
	doc := v.page(fmt.Sprintf("/room/%d", room), http.StatusOK)
	if !strings.Contains(doc.Text(), "hello from compose") {
		t.Errorf("room page lacks the posted message")
	}

	t.Run("avatar upload is stored and served", func(t *testing.T) {
		v := v.in(t)
		data := pngBytes(t, 32, 32, color.RGBA{G: 128, B: 128, A: 255})
		resp := v.postFile("/update-user", profileForm(v), "avatar", "me.png", data)
		readAll(t, resp)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload = %d", resp.StatusCode)
		}
		src, _ := v.page(fmt.Sprintf("/profile/%d", v.ID), http.StatusOK).Find("#profile-avatar").Attr("src")
		if !strings.HasPrefix(src, "/avatars/") {
			t.Fatalf("avatar src %q", src)
		}
		got := v.get(src)
		body := readAll(t, got)
		if got.StatusCode != http.StatusOK || body != string(data) || got.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("GET %s = %d %q, %d bytes", src, got.StatusCode, got.Header.Get("Content-Type"), len(body))
		}
	})

	t.Run("the Lambda runs in the emulator container and reaches postgres by name", func(t *testing.T) {
		aws := strings.TrimSpace(c.must(ctx, "ps", "-q", "aws"))
		top := docker(t, "top", aws)
		if !strings.Contains(top, "bootstrap") {
			t.Errorf("no bootstrap process in the emulator container:\n%s", top)
		}
		cfg := functionConfig(t, ctx)
		if db := cfg.Environment.Variables["DATABASE_URL"]; !strings.Contains(db, "@postgres:5432/") {
			t.Errorf("the function's DATABASE_URL %q does not name the postgres service", db)
		}
		n := c.must(ctx, "exec", "-T", "postgres", "psql", "-U", "coolroom", "-d", "coolroom", "-tAc",
			fmt.Sprintf("SELECT count(*) FROM messages WHERE room_id = %d AND body = 'hello from compose'", room))
		if strings.TrimSpace(n) != "1" {
			t.Errorf("PostgreSQL holds %q copies of the message, want 1", strings.TrimSpace(n))
		}
	})

	t.Run("requests spread over both replicas, and one stopping keeps the user working", func(t *testing.T) {
		v := v.in(t)
		replicas := strings.Fields(c.must(ctx, "ps", "-q", "app"))
		if len(replicas) != 2 {
			t.Fatalf("app replicas running: %v, want 2", replicas)
		}
		seen := answeredBy(t, v, 12)
		if len(seen) != 2 {
			t.Fatalf("12 requests were answered by %v, want both replicas", seen)
		}
		stopped := replicas[0]
		stoppedAddr := containerIP(t, stopped)
		docker(t, "stop", "-t", "5", stopped)
		// The user reloads the room and posts: the session (a sealed cookie,
		// one secret for all replicas) holds, and the load balancer retries
		// the page on the other replica.
		if v.page(fmt.Sprintf("/room/%d", room), http.StatusOK).Find(".account .me").Length() == 0 {
			t.Fatal("after a replica stopped, the room page shows the user logged out")
		}
		postAfterStop(t, c, ctx, v, room, "still here after a replica stopped")
		for addr := range answeredBy(t, v, 8) {
			if strings.HasPrefix(addr, stoppedAddr+":") {
				t.Errorf("the stopped replica %s still answered", addr)
			}
		}
		doc := v.page(fmt.Sprintf("/room/%d", room), http.StatusOK)
		if !strings.Contains(doc.Text(), "still here after a replica stopped") {
			t.Error("the message posted after the stop is not shown")
		}
	})

	out := c.must(context.Background(), "down", "-v", "--remove-orphans")
	tornDown = true
	label := "label=com.docker.compose.project=" + composeProject
	for _, kind := range []string{"container", "network", "volume"} {
		args := []string{kind, "ls", "-q", "--filter", label}
		if kind == "container" {
			args = []string{"ps", "-a", "-q", "--filter", label}
		}
		if left := docker(t, args...); left != "" {
			t.Errorf("after docker compose down -v a %s is left: %s\n%s", kind, left, out)
		}
	}
}

// caddyClient trusts the load balancer's local CA (made at its start),
// read out of the lb container, so the test checks the certificate for
// "localhost" for real.
func caddyClient(t *testing.T, c compose, ctx context.Context) *http.Client {
	t.Helper()
	const rootCert = "/data/caddy/pki/authorities/local/root.crt"
	var pem string
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := c.run(ctx, "exec", "-T", "lb", "cat", rootCert)
		if err == nil && strings.Contains(out, "BEGIN CERTIFICATE") {
			pem = out
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no Caddy root certificate at %s: %v\n%s", rootCert, err, out)
		}
		time.Sleep(500 * time.Millisecond)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(pem)) {
		t.Fatalf("Caddy's root certificate does not parse:\n%s", pem)
	}
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
	}}
}

// waitForHTTPS polls url until it answers 200 and returns the time since from.
func waitForHTTPS(t *testing.T, client *http.Client, url string, from time.Time) time.Duration {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(from)
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never answered 200 (last: %s)", url, last)
	return 0
}

// answeredBy makes n page requests as v and returns the replicas (their
// addresses, from the load balancer's header) that answered.
func answeredBy(t *testing.T, v *visitor, n int) map[string]int {
	t.Helper()
	seen := map[string]int{}
	for range n {
		resp := v.get("/")
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET / = %d: %s", resp.StatusCode, textOf(body))
		}
		if parse(t, body).Find(".account .me").Length() == 0 {
			t.Fatalf("GET / answered by %s shows the user logged out", resp.Header.Get(replicaHeader))
		}
		addr := resp.Header.Get(replicaHeader)
		if addr == "" {
			t.Fatalf("GET / has no %s header", replicaHeader)
		}
		seen[addr]++
	}
	return seen
}

// containerIP is a container's address on its (single) compose network.
func containerIP(t *testing.T, id string) string {
	t.Helper()
	ips := strings.Fields(docker(t, "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", id))
	if len(ips) != 1 {
		t.Fatalf("container %s has addresses %v, want one", id, ips)
	}
	return ips[0]
}

// functionConfig asks the emulator, published on 127.0.0.1:4566, for the
// deployed function's configuration.
func functionConfig(t *testing.T, ctx context.Context) *lambda.GetFunctionConfigurationOutput {
	t.Helper()
	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://127.0.0.1:4566"),
	})
	fns, err := client.ListFunctions(ctx, &lambda.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, f := range fns.Functions {
		names = append(names, aws.ToString(f.FunctionName))
	}
	if len(names) != 1 {
		t.Fatalf("functions deployed: %v, want one", names)
	}
	cfg, err := client.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(names[0])})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// postAfterStop posts a message right after a replica stopped. Caddy
// before 2.11 cannot retry a request body on another upstream
// (caddyserver/caddy#7546): with Debian's Caddy 2.6 (the offline stand-in)
// a POST that meets the stopped replica before Caddy re-resolves "app"
// gets a 502, which acknowledges nothing, and the user sends it again.
// With a fixed Caddy the first POST must succeed.
func postAfterStop(t *testing.T, c compose, ctx context.Context, v *visitor, room int64, body string) {
	t.Helper()
	version := strings.TrimSpace(c.must(ctx, "exec", "-T", "lb", "caddy", "version"))
	buggy := strings.HasPrefix(version, "v2.6.") || strings.HasPrefix(version, "2.6.")
	for attempt := 1; ; attempt++ {
		resp := v.post(fmt.Sprintf("/room/%d", room), url.Values{"body": {body}})
		readAll(t, resp)
		if resp.StatusCode == http.StatusSeeOther {
			return
		}
		if !buggy || resp.StatusCode != http.StatusBadGateway || attempt == 10 {
			t.Fatalf("post after a replica stopped = %d (Caddy %s, attempt %d)", resp.StatusCode, version, attempt)
		}
		t.Logf("Caddy %s answered 502 to a POST that met the stopped replica (caddyserver/caddy#7546); sending it again", version)
		time.Sleep(time.Second)
	}
}

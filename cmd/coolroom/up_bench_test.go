package main

import (
	"flag"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coolroom/testbed/internal/syncbuf"
)

// BenchmarkUpFirst200 measures `coolroom up` from exec to the app's first
// 200 on GET /, the figure a class waits for:
//
//	go test -run '^$' -bench UpFirst200 -benchtime 5x ./cmd/coolroom
//
// "warm" keeps the Lambda zip cache between runs; "zip-cache-cleared"
// empties it before each run, so every run builds the Lambda with the Go
// toolchain (its build cache warm: the user's GOCACHE). "cold" also starts
// each run with an empty Go build cache, as on a fresh machine; it takes
// minutes, so it runs only when named: -bench 'UpFirst200/cold'. Each run
// is a fresh process with a fresh throwaway PostgreSQL, on free ports.
func BenchmarkUpFirst200(b *testing.B) {
	root, err := checkoutRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "coolroom")
	build := exec.Command("go", "build", "-o", bin, "./cmd/coolroom")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build coolroom: %v\n%s", err, out)
	}
	goCache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"warm", "zip-cache-cleared", "cold"} {
		b.Run(mode, func(b *testing.B) {
			if f := flag.Lookup("test.bench"); mode == "cold" && (f == nil || !strings.Contains(f.Value.String(), "cold")) {
				b.Skip("cold runs only when named")
			}
			home := b.TempDir()
			cache := filepath.Join(home, "cache")
			env := []string{"GOCACHE=" + strings.TrimSpace(string(goCache))}
			if mode == "cold" {
				env = []string{"GOCACHE=" + filepath.Join(home, "gocache")}
			} else {
				runUpOnce(b, bin, root, home, env, nil) // fills the zip cache for "warm"
			}
			var took []time.Duration
			steps := map[string][]time.Duration{}
			for b.Loop() {
				if mode != "warm" {
					for _, dir := range []string{cache, filepath.Join(home, "gocache")} {
						if err := os.RemoveAll(dir); err != nil {
							b.Fatal(err)
						}
					}
				}
				took = append(took, runUpOnce(b, bin, root, home, env, steps))
			}
			sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
			b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "ms-p50-first-200")
			b.ReportMetric(float64(took[0].Milliseconds()), "ms-min-first-200")
			b.Logf("%s: up → first 200 %v", mode, took)
			// The median of each step `up` reports: what is left to cut.
			names := make([]string, 0, len(steps))
			for name := range steps {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				d := steps[name]
				sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
				b.ReportMetric(float64(d[len(d)/2].Milliseconds()), "ms-p50-"+strings.ReplaceAll(name, " ", "-"))
			}
		})
	}
}

// runUpOnce starts `up --empty`, waits for the app's first 200 and stops
// it. Into steps (if not nil) it adds how long each start-up step took, as
// `up` printed.
func runUpOnce(b *testing.B, bin, root, home string, env []string, steps map[string][]time.Duration) time.Duration {
	b.Helper()
	emu, app := freeAddr(b), freeAddr(b)
	cmd := exec.Command(bin, "up", "--empty")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "COOLROOM_EMULATOR_ADDR="+emu, "COOLROOM_APP_ADDR="+app,
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"), "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"COOLROOM_LOG_LEVEL=warn")
	cmd.Env = append(cmd.Env, env...)
	var out syncbuf.Buffer
	cmd.Stdout = &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	}()
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := start.Add(3 * time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		resp, err := client.Get("http://" + app + "/")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			took := time.Since(start)
			if steps != nil {
				addSteps(b, &out, steps)
			}
			return took
		}
	}
	b.Fatalf("no 200 from the app at %s", app)
	return 0
}

// stepRE matches one step of the line `up` prints with its first 200:
// "name +12ms 345ms (notes)".
var stepRE = regexp.MustCompile(`([a-z ]+) \+\d+ms (\d+)ms`)

// addSteps waits for `up`'s "Steps" line and adds each step's time.
func addSteps(b *testing.B, out *syncbuf.Buffer, steps map[string][]time.Duration) {
	b.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		for _, line := range strings.Split(out.String(), "\n") {
			_, list, ok := strings.Cut(line, "Steps (+start, took)")
			if !ok {
				continue
			}
			for _, part := range strings.Split(list, "; ") {
				if m := stepRE.FindStringSubmatch(part); m != nil {
					n, _ := strconv.Atoi(m[2])
					name := strings.TrimSpace(strings.TrimPrefix(m[1], ":"))
					steps[name] = append(steps[name], time.Duration(n)*time.Millisecond)
				}
			}
			return
		}
	}
	b.Errorf("up printed no Steps line:\n%s", out.String())
}

// freeAddr is a loopback address with a port that was free just now.
func freeAddr(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

package emulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/coolroom/testbed/deploy"
	"github.com/coolroom/testbed/emulator/internal/testfn/handler"
)

// Benchmarks print the figures issue targets are judged by. Run:
//
//	go test -run '^$' -bench . -benchtime 2000x ./emulator/
//
// Latency benchmarks report p50/p99 in microseconds next to ns/op.

// BenchmarkProcessStartToHealth execs the emulator binary and measures the
// time until /_localstack/health answers 200, then its idle RSS.
func BenchmarkProcessStartToHealth(b *testing.B) {
	bin := buildBinary(b, "./cmd/emulator")
	var startTimes []time.Duration
	var rss int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		port := freePort(b)
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "COOLROOM_EMULATOR_ADDR=127.0.0.1:"+strconv.Itoa(port), "COOLROOM_LOG_LEVEL=warn")
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		url := fmt.Sprintf("http://127.0.0.1:%d/_localstack/health", port)
		for {
			resp, err := http.Get(url)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Since(start) > 10*time.Second {
				b.Fatal("emulator did not become healthy in 10 s")
			}
			time.Sleep(200 * time.Microsecond)
		}
		startTimes = append(startTimes, time.Since(start))
		if i == 0 {
			time.Sleep(time.Second) // idle
			rss = vmRSS(b, cmd.Process.Pid)
		}
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}
	b.StopTimer()
	p50, p99 := percentiles(startTimes)
	b.ReportMetric(float64(p50.Microseconds())/1000, "start-p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "start-p99-ms")
	b.ReportMetric(float64(rss)/1024, "idle-RSS-MiB")
}

// BenchmarkLambdaCreateToActive measures CreateFunction → Active (waiter
// observed) and the first (cold) invocation.
func BenchmarkLambdaCreateToActive(b *testing.B) {
	_, srv, cfg := startEmulator(b)
	c := lambdaClient(srv, cfg)
	zipData := testfnZipData(b)
	var active, cold []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		name := fmt.Sprintf("bench-%d", i)
		start := time.Now()
		if _, err := c.CreateFunction(context.Background(), &lambda.CreateFunctionInput{
			FunctionName: aws.String(name), Runtime: types.RuntimeProvidedal2023, Role: aws.String("r"),
			Code: &types.FunctionCode{ZipFile: zipData},
		}); err != nil {
			b.Fatal(err)
		}
		for {
			out, err := c.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: aws.String(name)})
			if err != nil {
				b.Fatal(err)
			}
			if out.Configuration.State == types.StateActive {
				break
			}
			time.Sleep(time.Millisecond)
		}
		active = append(active, time.Since(start))
		start = time.Now()
		if _, err := c.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: aws.String(name), Payload: []byte(`{"action":"plain"}`)}); err != nil {
			b.Fatal(err)
		}
		cold = append(cold, time.Since(start))
		if _, err := c.DeleteFunction(context.Background(), &lambda.DeleteFunctionInput{FunctionName: aws.String(name)}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	p50, _ := percentiles(active)
	b.ReportMetric(float64(p50.Microseconds())/1000, "create-to-active-p50-ms")
	p50, _ = percentiles(cold)
	b.ReportMetric(float64(p50.Microseconds())/1000, "cold-invoke-p50-ms")
}

// BenchmarkWarmAPIGatewayToLambda is one HTTP request through the HTTP API
// to a warm bootstrap process and back.
func BenchmarkWarmAPIGatewayToLambda(b *testing.B) {
	a := setupHTTPAPI(b, "2.0", 30000, "$default")
	url := a.srv.URL + "/_aws/execute-api/" + a.apiID + "/plain"
	measure(b, url)
}

// BenchmarkPlainHandler runs the same handler behind a plain httptest
// server: the floor the emulated path is compared with.
func BenchmarkPlainHandler(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event, _ := json.Marshal(map[string]string{"rawPath": r.URL.Path})
		out, err := handler.Handle(r.Context(), event)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	measure(b, srv.URL+"/plain")
}

func measure(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	get := func() {
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	measureLatency(b, get)
}

// measureLatency runs call 50 times to warm up (processes, connections),
// then b.N times, and reports the p50 and p99 in microseconds.
func measureLatency(b *testing.B, call func()) {
	for i := 0; i < 50; i++ {
		call()
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		call()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	p50, p99 := percentiles(lat)
	b.ReportMetric(float64(p50.Nanoseconds())/1000, "p50-µs")
	b.ReportMetric(float64(p99.Nanoseconds())/1000, "p99-µs")
}

// buildBinary builds the module's package pkg into a temporary directory
// and returns the binary's path.
func buildBinary(b *testing.B, pkg string) string {
	root, err := deploy.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), filepath.Base(pkg))
	build := exec.Command("go", "build", "-o", bin, pkg)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func percentiles(d []time.Duration) (p50, p99 time.Duration) {
	if len(d) == 0 {
		return 0, 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)*50/100], s[min(len(s)-1, len(s)*99/100)]
}

func freePort(tb testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// vmRSS reads a process's resident set size in KiB.
func vmRSS(tb testing.TB, pid int) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

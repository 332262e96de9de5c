// Package compose_test checks compose.yaml the way `docker compose config`
// would (with compose-go, the library Docker Compose itself uses), fast and
// without Docker; tests/TestComposeStack runs the stack for real.
package compose_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func load(t *testing.T, profiles ...string) *types.Project {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, "compose.yaml")},
		cli.WithWorkingDirectory(root), cli.WithDotEnv, cli.WithProfiles(profiles))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("compose.yaml with profiles %v does not load: %v", profiles, err)
	}
	return p
}

func TestComposeProfiles(t *testing.T) {
	for _, tc := range []struct {
		profile  string
		aws      string
		notThere string
	}{
		{"emulator", "aws", "localstack"},
		{"localstack", "localstack", "aws"},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			p := load(t, tc.profile)
			if _, ok := p.Services[tc.notThere]; ok {
				t.Errorf("profile %s also runs %s: two AWS sides", tc.profile, tc.notThere)
			}
			for _, name := range []string{"postgres", tc.aws, "secrets", "deploy", "app", "lb"} {
				if _, ok := p.Services[name]; !ok {
					t.Fatalf("profile %s lacks service %s", tc.profile, name)
				}
			}
			pg := p.Services["postgres"]
			if pg.HealthCheck == nil || !strings.Contains(strings.Join(pg.HealthCheck.Test, " "), "pg_isready -h 127.0.0.1") {
				t.Errorf("postgres healthcheck = %v", pg.HealthCheck)
			}
			if hc := p.Services[tc.aws].HealthCheck; hc == nil || len(hc.Test) == 0 {
				t.Errorf("%s has no healthcheck", tc.aws)
			}
			app := p.Services["app"]
			if app.Deploy == nil || app.Deploy.Replicas == nil || *app.Deploy.Replicas != 2 {
				t.Errorf("app replicas = %+v, want 2", app.Deploy)
			}
			if dep, ok := app.DependsOn["deploy"]; !ok || dep.Condition != types.ServiceConditionCompletedSuccessfully {
				t.Errorf("app must wait for the deploy job: %+v", app.DependsOn)
			}
			d := p.Services["deploy"]
			for _, need := range []string{"postgres", tc.aws} {
				if dep, ok := d.DependsOn[need]; !ok || dep.Condition != types.ServiceConditionHealthy {
					t.Errorf("deploy must wait for %s to be healthy: %+v", need, d.DependsOn)
				}
			}
			if !strings.Contains(*d.Environment["DATABASE_URL"], "@postgres:5432/") {
				t.Errorf("the Lambda must reach PostgreSQL by service name: %v", *d.Environment["DATABASE_URL"])
			}
			lb := p.Services["lb"]
			var published []string
			for _, port := range lb.Ports {
				published = append(published, port.Published)
			}
			if !slices.Contains(published, "80") || !slices.Contains(published, "443") {
				t.Errorf("lb publishes %v, want 80 and 443", published)
			}
		})
	}
}

func TestLocalStackReachesPostgresByName(t *testing.T) {
	p := load(t, "localstack")
	ls := p.Services["localstack"]
	network := p.Name + "_default"
	if got := ls.Environment["LAMBDA_DOCKER_NETWORK"]; got == nil || *got != network {
		t.Errorf("LAMBDA_DOCKER_NETWORK = %v, want the compose network %s", got, network)
	}
	if !strings.HasSuffix(ls.Image, ":4.14.0") {
		t.Errorf("LocalStack image %s is not the pinned 4.14.0", ls.Image)
	}
	if n := ls.Networks["default"]; n == nil || !slices.Contains(n.Aliases, "aws") {
		t.Errorf("localstack must answer as aws on the network: %+v", ls.Networks)
	}
}

func TestCaddyfileRedirectsAndBalances(t *testing.T) {
	b, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"redir https://", "dynamic a app 8000", "lb_policy round_robin", "local_certs"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}

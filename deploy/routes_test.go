package deploy

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/coolroom/testbed/lambda/router"
)

// TestDataAPIRoutesMatchTheRouter: the routes the deployer gives API
// Gateway are exactly the data service's endpoints. A new endpoint in
// lambda/router/handler.go must be added to DataAPIRoutes (routes.go),
// or API Gateway would only know it through $default.
func TestDataAPIRoutesMatchTheRouter(t *testing.T) {
	routes, ok := router.New(nil, nil).(chi.Routes)
	if !ok {
		t.Fatal("router.New is no longer a chi router; adapt this test")
	}
	param := regexp.MustCompile(`\{([a-zA-Z_]+):[^}]*\}`)
	var fromRouter []string
	err := chi.Walk(routes, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodHead {
			return nil
		}
		fromRouter = append(fromRouter, method+" "+param.ReplaceAllString(route, "{$1}"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deployed := append([]string(nil), DataAPIRoutes...)
	sort.Strings(fromRouter)
	sort.Strings(deployed)
	if strings.Join(fromRouter, "\n") != strings.Join(deployed, "\n") {
		t.Errorf("DataAPIRoutes (deploy/routes.go) differ from the router (lambda/router):\nrouter:\n  %s\ndeployed:\n  %s",
			strings.Join(fromRouter, "\n  "), strings.Join(deployed, "\n  "))
	}
}

package deploy

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// TestChooseFlavour checks the deployer's choice of API flavour against a
// fake endpoint answering API Gateway v2 the way each target does.
func TestChooseFlavour(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		want   Flavour
		fails  bool
	}{
		{"LocalStack Community answers 501", http.StatusNotImplemented,
			`{"message": "API for service 'apigatewayv2' not yet implemented or pro feature - please check https://docs.localstack.cloud/references/coverage/ for further information"}`, FlavourREST, false},
		{"v2 available", http.StatusOK, `{"items": []}`, FlavourHTTP, false},
		{"a real failure is not a flavour", http.StatusForbidden, `{"message":"denied"}`, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v2/apis" {
					t.Errorf("probe went to %s", r.URL.Path)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(c.status)
				_, _ = w.Write([]byte(c.body))
			}))
			defer srv.Close()
			d := New(Config{EndpointURL: srv.URL, AWS: aws.Config{Region: "us-east-1", RetryMaxAttempts: 1,
				Credentials: credentials.NewStaticCredentialsProvider("a", "b", "")}})
			got, err := d.chooseFlavour(context.Background())
			if (err != nil) != c.fails || got != c.want {
				t.Errorf("chooseFlavour = %q, %v; want %q (error: %v)", got, err, c.want, c.fails)
			}
		})
	}
	d := New(Config{Flavour: FlavourREST})
	if got, _ := d.chooseFlavour(context.Background()); got != FlavourREST {
		t.Errorf("explicit flavour ignored: %q", got)
	}
}

package containers

import (
	"context"
	"fmt"

	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/localstack"
	"github.com/testcontainers/testcontainers-go/network"
)

// DefaultLocalStackImage is the last LocalStack tag that starts without an
// account (March 2026); newer tags need LOCALSTACK_AUTH_TOKEN.
const DefaultLocalStackImage = "localstack/localstack:4.14.0"

// LocalStack is a running LocalStack with PostgreSQL beside it on one
// network, so the Lambda containers LocalStack starts reach PostgreSQL by
// its alias.
type LocalStack struct {
	Container *localstack.LocalStackContainer
	Postgres  *Postgres
	Network   *testcontainers.DockerNetwork
	// Endpoint is LocalStack's edge URL on this machine (http://host:port).
	Endpoint string
}

// LocalStackOptions configure StartLocalStack.
type LocalStackOptions struct {
	Image         string // default DefaultLocalStackImage
	PostgresImage string // default DefaultPostgresImage
	// AuthToken is passed as LOCALSTACK_AUTH_TOKEN when set (Pro features
	// such as API Gateway v2, and tags newer than 4.14.0).
	AuthToken string
}

// StartLocalStack creates a network, PostgreSQL on it, and LocalStack with
// LAMBDA_DOCKER_NETWORK pointing at it.
func StartLocalStack(ctx context.Context, opts LocalStackOptions) (_ *LocalStack, err error) {
	if err := Available(ctx); err != nil {
		return nil, err
	}
	if opts.Image == "" {
		opts.Image = DefaultLocalStackImage
	}
	nw, err := network.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("docker network: %w", err)
	}
	ls := &LocalStack{Network: nw}
	defer func() {
		if err != nil {
			_ = ls.Stop(context.Background())
		}
	}()
	if ls.Postgres, err = StartPostgres(ctx, opts.PostgresImage, nw); err != nil {
		return nil, err
	}
	env := map[string]string{
		"SERVICES":              "s3,lambda,apigateway,apigatewayv2,iam,sts,logs,cloudwatch",
		"LAMBDA_DOCKER_NETWORK": nw.Name,
		// Keep Lambda containers warm between calls, as AWS does.
		"LAMBDA_KEEPALIVE_MS": "600000",
	}
	if opts.AuthToken != "" {
		env["LOCALSTACK_AUTH_TOKEN"] = opts.AuthToken
	}
	c, err := localstack.Run(ctx, opts.Image, testcontainers.WithEnv(env), network.WithNetwork([]string{"localstack"}, nw))
	if c != nil {
		ls.Container = c
	}
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", opts.Image, err)
	}
	host, err := c.Host(ctx)
	if err != nil {
		return nil, err
	}
	port, err := c.MappedPort(ctx, "4566/tcp")
	if err != nil {
		return nil, err
	}
	ls.Endpoint = fmt.Sprintf("http://%s:%s", host, port.Port())
	return ls, nil
}

// Stop removes LocalStack, PostgreSQL and the network.
func (ls *LocalStack) Stop(ctx context.Context) error {
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	if ls.Container != nil {
		keep(testcontainers.TerminateContainer(ls.Container))
	}
	if ls.Postgres != nil {
		keep(ls.Postgres.Stop())
	}
	if ls.Network != nil {
		keep(ls.Network.Remove(ctx))
	}
	return first
}

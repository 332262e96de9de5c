package containers

import (
	"context"
	"fmt"

	"github.com/testcontainers/testcontainers-go"
	tcpostgres "github.com/testcontainers/testcontainers-go/modules/postgres"
	"github.com/testcontainers/testcontainers-go/network"
)

// DefaultPostgresImage is the PostgreSQL image (overridable for mirrors).
const DefaultPostgresImage = "postgres:16-alpine"

// PostgresAlias is the host name PostgreSQL has on the shared network.
const PostgresAlias = "postgres"

// Postgres is a running PostgreSQL container.
type Postgres struct {
	Container *tcpostgres.PostgresContainer
	// HostURL reaches it from this machine (a mapped port).
	HostURL string
	// NetworkURL reaches it from other containers on the network, by alias
	// (what a Lambda run by LocalStack uses); empty without a network.
	NetworkURL string
}

// StartPostgres runs PostgreSQL with the module's wait strategies, on nw
// (with the alias "postgres") when nw is not nil.
func StartPostgres(ctx context.Context, image string, nw *testcontainers.DockerNetwork) (*Postgres, error) {
	if err := Available(ctx); err != nil {
		return nil, err
	}
	if image == "" {
		image = DefaultPostgresImage
	}
	const user, password, db = "coolroom", "coolroom", "coolroom"
	opts := []testcontainers.ContainerCustomizer{
		tcpostgres.WithDatabase(db),
		tcpostgres.WithUsername(user),
		tcpostgres.WithPassword(password),
		tcpostgres.BasicWaitStrategies(),
	}
	if nw != nil {
		opts = append(opts, network.WithNetwork([]string{PostgresAlias}, nw))
	}
	c, err := tcpostgres.Run(ctx, image, opts...)
	if err != nil {
		if c != nil {
			_ = testcontainers.TerminateContainer(c)
		}
		return nil, fmt.Errorf("start %s: %w", image, err)
	}
	hostURL, err := c.ConnectionString(ctx, "sslmode=disable")
	if err != nil {
		_ = testcontainers.TerminateContainer(c)
		return nil, err
	}
	p := &Postgres{Container: c, HostURL: hostURL}
	if nw != nil {
		p.NetworkURL = fmt.Sprintf("postgres://%s:%s@%s:5432/%s?sslmode=disable", user, password, PostgresAlias, db)
	}
	return p, nil
}

// Stop removes the container.
func (p *Postgres) Stop() error { return testcontainers.TerminateContainer(p.Container) }

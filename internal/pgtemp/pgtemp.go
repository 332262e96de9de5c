// Package pgtemp starts throwaway PostgreSQL clusters from the local PostgreSQL
// binaries, for `coolroom up` and for tests. A cluster lives in a temporary
// directory, listens only on 127.0.0.1 on a free port, and is removed by Stop.
//
// PostgreSQL refuses to run as root, so when the current user is root on
// Linux the cluster is initialised and run as the `postgres` system user;
// everywhere else it runs as the current user (Homebrew's and Postgres.app's
// way on macOS).
package pgtemp

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolroom/testbed/internal/lifetime"
)

// Options configure a cluster. The zero value is usable.
type Options struct {
	// Logger receives progress lines; nil discards them.
	Logger *slog.Logger
	// Database is the database created for the caller (default "coolroom").
	Database string
	// BinDir overrides where initdb and postgres are looked up.
	BinDir string
	// Log receives the server's own output; nil discards it.
	Log io.Writer
}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir      string
	port     int
	database string
	cmd      *exec.Cmd
	group    *lifetime.Group
	exited   chan struct{}
	stopOnce sync.Once
	stopErr  error
}

const superuser = "coolroom"

// Start initialises a new cluster in a temporary directory, starts it and
// creates the database. The caller must call Stop.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Database == "" {
		opts.Database = "coolroom"
	}
	binDir := opts.BinDir
	if binDir == "" {
		var err error
		if binDir, err = FindBinDir(); err != nil {
			return nil, err
		}
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	// Sweeps the clusters of runs that were killed, then records this one's owner.
	dir, err := lifetime.TempDir("coolroom-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtemp: temp dir: %w", err)
	}
	c := &Cluster{dir: dir, database: opts.Database, exited: make(chan struct{})}
	fail := func(err error) (*Cluster, error) {
		c.Stop()
		return nil, err
	}
	if err := chownTo(dir, cred); err != nil {
		return fail(fmt.Errorf("pgtemp: chown %s: %w", dir, err))
	}
	dataDir := filepath.Join(dir, "data")
	log.Info("initialising throwaway PostgreSQL cluster", "dir", dir, "bin", binDir)
	initdb := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
		"-D", dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale="+initdbLocale, "--no-sync")
	runAsUser(initdb, cred)
	if out, err := runToEnd(initdb); err != nil {
		return fail(fmt.Errorf("pgtemp: initdb: %w\n%s", err, out))
	}
	if c.port, err = freePort(); err != nil {
		return fail(err)
	}
	c.cmd = exec.Command(filepath.Join(binDir, "postgres"),
		"-D", dataDir,
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		// fsync and full-page writes only protect against the machine
		// losing power; a throwaway cluster does not need that. Commits
		// stay synchronous: a crashed backend makes PostgreSQL reset shared
		// memory, and with synchronous_commit=off the WAL of commits it
		// had already acknowledged would go with it.
		"-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200",
	)
	runAsUser(c.cmd, cred)
	if opts.Log != nil {
		c.cmd.Stdout, c.cmd.Stderr = opts.Log, opts.Log
	}
	// If this process dies without calling Stop, the server still goes
	// away instead of lingering on the machine (see internal/lifetime).
	if c.group, err = lifetime.Start(c.cmd, syscall.SIGTERM); err != nil {
		return fail(fmt.Errorf("pgtemp: start postgres: %w", err))
	}
	go func() { _ = c.cmd.Wait(); close(c.exited) }()
	log.Info("starting PostgreSQL", "port", c.port)
	if err := c.waitReady(ctx, 30*time.Second); err != nil {
		return fail(err)
	}
	if err := c.createDatabase(ctx); err != nil {
		return fail(err)
	}
	log.Info("PostgreSQL ready", "url", c.URL())
	return c, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtemp: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (c *Cluster) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-c.exited:
			return fmt.Errorf("pgtemp: postgres exited during start-up (%v)", c.cmd.ProcessState)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		conn, err := pgx.Connect(ctx, c.adminURL())
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		lastErr = err
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("pgtemp: postgres not ready after %s: %w", limit, lastErr)
}

func (c *Cluster) createDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.adminURL())
	if err != nil {
		return fmt.Errorf("pgtemp: connect: %w", err)
	}
	defer conn.Close(ctx)
	// CREATE DATABASE takes no parameters; the name is quoted as an identifier.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{c.database}.Sanitize()); err != nil {
		return fmt.Errorf("pgtemp: create database: %w", err)
	}
	return nil
}

func (c *Cluster) adminURL() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", superuser, c.port)
}

// URL is the connection string of the cluster's database.
func (c *Cluster) URL() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.port, c.database)
}

// Port is the TCP port the server listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// Dir is the temporary directory holding the cluster.
func (c *Cluster) Dir() string { return c.dir }

// PID is the postgres server's process id, or 0 if it is not running.
func (c *Cluster) PID() int {
	if c.group == nil {
		return 0
	}
	return c.group.Pid()
}

// Stop shuts the server down (fast shutdown, then kill after a grace period)
// and removes its directory. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.group != nil {
			// SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, stop.
			_ = c.group.Signal(syscall.SIGINT)
			select {
			case <-c.exited:
				c.group.Release()
			case <-time.After(10 * time.Second):
				c.group.Kill()
				<-c.exited
			}
		}
		if c.dir != "" && strings.Contains(c.dir, "coolroom-pg-") {
			c.stopErr = os.RemoveAll(c.dir)
		}
	})
	return c.stopErr
}

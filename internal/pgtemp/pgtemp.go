// Package pgtemp starts throwaway PostgreSQL clusters from the local PostgreSQL
// binaries, for `coolroom up` and for tests. A cluster lives in a temporary
// directory, listens only on 127.0.0.1 on a free port, and is removed by Stop.
//
// PostgreSQL refuses to run as root, so when the current user is root the
// cluster is initialised and run as the `postgres` system user.
package pgtemp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoBinaries is returned when no PostgreSQL server binaries are found.
var ErrNoBinaries = errors.New("pgtemp: PostgreSQL server binaries (initdb, postgres) not found; install them (Debian: apt-get install -y postgresql) or set DATABASE_URL")

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
	exited   chan struct{}
	stopOnce sync.Once
	stopErr  error
}

const superuser = "coolroom"

// FindBinDir returns the directory holding initdb and postgres: the PATH first,
// then the newest /usr/lib/postgresql/<version>/bin.
func FindBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("postgres"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

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
	dir, err := os.MkdirTemp("", "coolroom-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtemp: temp dir: %w", err)
	}
	c := &Cluster{dir: dir, database: opts.Database, exited: make(chan struct{})}
	fail := func(err error) (*Cluster, error) {
		c.Stop()
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			return fail(fmt.Errorf("pgtemp: chown %s: %w", dir, err))
		}
	}
	dataDir := filepath.Join(dir, "data")
	log.Info("initialising throwaway PostgreSQL cluster", "dir", dir, "bin", binDir)
	initdb := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"),
		"-D", dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if out, err := initdb.CombinedOutput(); err != nil {
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
	// Pdeathsig: if this process dies without calling Stop, the server
	// still goes away instead of lingering on the machine.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGTERM, Setpgid: true}
	if opts.Log != nil {
		c.cmd.Stdout, c.cmd.Stderr = opts.Log, opts.Log
	}
	if err := c.cmd.Start(); err != nil {
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

// runAs returns the credential to run PostgreSQL with: nil for a non-root
// user, the `postgres` user for root.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtemp: running as root needs the 'postgres' system user to start PostgreSQL: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
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
	if c.cmd == nil || c.cmd.Process == nil {
		return 0
	}
	return c.cmd.Process.Pid
}

// Stop shuts the server down (fast shutdown, then kill after a grace period)
// and removes its directory. It is safe to call more than once.
func (c *Cluster) Stop() error {
	c.stopOnce.Do(func() {
		if c.cmd != nil && c.cmd.Process != nil {
			// SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, stop.
			_ = c.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-c.exited:
			case <-time.After(10 * time.Second):
				_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
				<-c.exited
			}
		}
		if c.dir != "" && strings.Contains(c.dir, "coolroom-pg-") {
			c.stopErr = os.RemoveAll(c.dir)
		}
	})
	return c.stopErr
}

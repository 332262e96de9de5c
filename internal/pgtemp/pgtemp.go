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
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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
	// CacheDir keeps the initialised data dir that later Starts copy
	// instead of running initdb (default: the user's cache dir/coolroom).
	CacheDir string
	// NoTemplate makes Start run initdb every time and cache nothing.
	NoTemplate bool
	// Port is the TCP port to listen on; 0 picks a free one. A caller
	// that must hand out the URL before the server is up (DatabaseURL)
	// picks it with FreePort.
	Port int
}

// Timings says how long each part of Start took.
type Timings struct {
	// Template is copying the cached data dir; Initdb is running initdb
	// (a first run, or a template that did not start).
	Template, Initdb time.Duration
	// Serve is starting postgres until it accepts connections.
	Serve time.Duration
	// NameDatabase is giving the initial database the caller's name
	// (nothing when it has it already).
	NameDatabase time.Duration
}

// Cluster is a running throwaway PostgreSQL server.
type Cluster struct {
	dir      string
	port     int
	database string
	cmd      *exec.Cmd
	group    *lifetime.Group
	exited   chan struct{}
	// fromTemplate: the data dir was copied from the cached template
	// rather than made by initdb; fromSpare: the copy was the spare one
	// an earlier cluster's PrepareSpare made.
	fromTemplate, fromSpare bool
	// tmpl is the cached template's path ("" when there is none) and
	// owner the user PostgreSQL runs as, for PrepareSpare.
	tmpl     string
	owner    *osUser
	timings  Timings
	stopOnce sync.Once
	stopErr  error
}

const superuser = "coolroom"

// Start initialises a new cluster in a temporary directory and starts it,
// with the caller's database. The data dir is a copy of the template cached
// by an earlier Start (see template.go) when there is a good one, else
// initdb's; either way it holds the initial database, renamed if the
// caller wants another name.
// The caller must call Stop.
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
	c := &Cluster{dir: dir, database: opts.Database, port: opts.Port}
	fail := func(err error) (*Cluster, error) {
		c.Stop()
		return nil, err
	}
	if err := chownTo(dir, cred); err != nil {
		return fail(fmt.Errorf("pgtemp: chown %s: %w", dir, err))
	}
	dataDir := filepath.Join(dir, "data")
	args := []string{"-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=" + initdbLocale, "--no-sync", "--wal-segsize=1"}
	// The key names what the data dir holds: initdb's output with the
	// initial database added.
	tmpl, key := templateFor(opts, binDir, append(slices.Clone(args), "database "+initialDatabase), log)
	c.tmpl, c.owner = tmpl, cred
	if tmpl != "" {
		start := time.Now()
		c.fromTemplate = c.copyTemplate(tmpl, key, dataDir, cred, log)
		c.timings.Template = time.Since(start)
	}
	// initdb makes the data dir and caches it as the template for the
	// next Start.
	initdb := func() error {
		start := time.Now()
		if err := runInitdb(ctx, binDir, dataDir, args, cred, log); err != nil {
			return err
		}
		if err := createInitialDatabase(ctx, binDir, dataDir, cred); err != nil {
			return err
		}
		c.timings.Initdb = time.Since(start)
		if tmpl != "" {
			if err := saveTemplate(dataDir, filepath.Dir(tmpl), key, cred); err != nil {
				log.Warn("could not cache the initialised data dir; the next start runs initdb again", "err", err)
			}
		}
		return nil
	}
	if !c.fromTemplate {
		if err := initdb(); err != nil {
			return fail(err)
		}
	}
	err = c.serve(ctx, binDir, dataDir, cred, opts.Log, log)
	if err != nil && c.fromTemplate {
		// A template that looked whole but does not start (a bad copy,
		// a disk error): drop it and do what a first run does.
		log.Warn("PostgreSQL did not start from the cached data dir; discarding it and running initdb", "template", tmpl, "err", err)
		_ = discardTemplate(tmpl)
		c.fromTemplate = false
		if err = os.RemoveAll(dataDir); err == nil {
			if err = initdb(); err == nil {
				err = c.serve(ctx, binDir, dataDir, cred, opts.Log, log)
			}
		}
	}
	if err != nil {
		return fail(err)
	}
	start := time.Now()
	if err := c.nameDatabase(ctx); err != nil {
		return fail(err)
	}
	c.timings.NameDatabase = time.Since(start)
	log.Info("PostgreSQL ready", "url", c.URL(), "template", c.timings.Template.Round(time.Millisecond),
		"initdb", c.timings.Initdb.Round(time.Millisecond), "serve", c.timings.Serve.Round(time.Millisecond),
		"name_database", c.timings.NameDatabase.Round(time.Millisecond))
	return c, nil
}

// templateFor returns the cached template's path and key for this build
// and these initdb options, or "" when there is no cache to use.
func templateFor(opts Options, binDir string, args []string, log *slog.Logger) (dir, key string) {
	if opts.NoTemplate {
		return "", ""
	}
	cacheDir := opts.CacheDir
	if cacheDir == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			log.Debug("no user cache dir: running initdb", "err", err)
			return "", ""
		}
		cacheDir = filepath.Join(userCache, "coolroom")
	}
	key, err := templateKey(binDir, args)
	if err != nil {
		log.Debug("cannot key the data dir template: running initdb", "err", err)
		return "", ""
	}
	return templatePath(cacheDir, key), key
}

// copyTemplate copies the template into dataDir, owned by the user
// PostgreSQL runs as, and reports whether it did. A missing template is a
// first run; a broken one is discarded so the next Start saves a good one.
func (c *Cluster) copyTemplate(tmpl, key, dataDir string, cred *osUser, log *slog.Logger) bool {
	if err := templateUsable(tmpl, key); err != nil {
		if !errors.Is(err, fs.ErrNotExist) || dirExists(tmpl) {
			log.Warn("discarding a broken PostgreSQL data dir template", "template", tmpl, "err", err)
			_ = discardTemplate(tmpl)
		}
		return false
	}
	start := time.Now()
	if takeSpare(tmpl, dataDir) {
		c.fromSpare = true
		log.Info("PostgreSQL data dir taken from the spare copy of the cached template (no initdb, no copy)", "template", tmpl, "took", time.Since(start).Round(time.Millisecond))
		return true
	}
	if err := copyTree(tmpl, dataDir, cred, readOnlyDir(tmpl)); err != nil {
		log.Warn("copying the PostgreSQL data dir template failed: running initdb", "template", tmpl, "err", err)
		_ = os.RemoveAll(dataDir)
		return false
	}
	log.Info("PostgreSQL data dir copied from the cached template (no initdb)", "template", tmpl, "took", time.Since(start).Round(time.Millisecond))
	return true
}

func dirExists(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// runInitdb makes a new data dir as the user PostgreSQL runs as.
func runInitdb(ctx context.Context, binDir, dataDir string, args []string, cred *osUser, log *slog.Logger) error {
	log.Info("initialising throwaway PostgreSQL cluster", "dir", dataDir, "bin", binDir)
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "initdb"), append([]string{"-D", dataDir}, args...)...)
	runAsUser(cmd, cred)
	if out, err := runToEnd(cmd); err != nil {
		return fmt.Errorf("pgtemp: initdb: %w\n%s", err, out)
	}
	return nil
}

// serve starts postgres on dataDir and waits until it accepts connections.
// On failure nothing it started is left running.
func (c *Cluster) serve(ctx context.Context, binDir, dataDir string, cred *osUser, serverLog io.Writer, log *slog.Logger) error {
	var err error
	if c.port == 0 {
		if c.port, err = FreePort(); err != nil {
			return err
		}
	}
	start := time.Now()
	defer func() { c.timings.Serve = time.Since(start) }()
	c.cmd = exec.Command(filepath.Join(binDir, "postgres"),
		"-D", dataDir,
		"-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+c.dir,
		// fsync and full-page writes only protect against the machine
		// losing power; a throwaway cluster does not need that. Commits
		// stay synchronous: a crashed backend makes PostgreSQL reset shared
		// memory, and with synchronous_commit=off the WAL of commits it
		// had already acknowledged would go with it.
		"-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200",
	)
	runAsUser(c.cmd, cred)
	if serverLog != nil {
		c.cmd.Stdout, c.cmd.Stderr = serverLog, serverLog
	}
	// If this process dies without calling Stop, the server still goes
	// away instead of lingering on the machine (see internal/lifetime).
	if c.group, err = lifetime.Start(c.cmd, syscall.SIGTERM); err != nil {
		c.group = nil
		return fmt.Errorf("pgtemp: start postgres: %w", err)
	}
	c.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) { _ = cmd.Wait(); close(exited) }(c.cmd, c.exited)
	log.Info("starting PostgreSQL", "port", c.port)
	if err := c.waitReady(ctx, 30*time.Second); err != nil {
		c.group.Kill()
		<-c.exited
		c.group = nil
		return err
	}
	return nil
}

// FreePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func FreePort() (int, error) {
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

// initialDatabase is the database every data dir is made with, so that
// the usual Start (Options.Database's default) creates none: CREATE
// DATABASE copies template1 through the server, a few hundred
// milliseconds of a warm `coolroom up`, where copying it with the
// template's files costs a few dozen.
const initialDatabase = "coolroom"

// createInitialDatabase adds initialDatabase to a data dir fresh from
// initdb, with postgres in single-user mode (no server, no port).
func createInitialDatabase(ctx context.Context, binDir, dataDir string, cred *osUser) error {
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "postgres"), "--single", "-D", dataDir,
		"-c", "fsync=off", "-c", "exit_on_error=on", "template1")
	cmd.Stdin = strings.NewReader("CREATE DATABASE " + pgx.Identifier{initialDatabase}.Sanitize() + "\n")
	runAsUser(cmd, cred)
	if out, err := runToEnd(cmd); err != nil {
		return fmt.Errorf("pgtemp: create the initial database: %w\n%s", err, out)
	}
	return nil
}

// nameDatabase gives the initial database the caller's name, when it
// asked for another: a rename, which only touches the catalog.
func (c *Cluster) nameDatabase(ctx context.Context) error {
	if c.database == initialDatabase {
		return nil
	}
	conn, err := pgx.Connect(ctx, c.adminURL())
	if err != nil {
		return fmt.Errorf("pgtemp: connect: %w", err)
	}
	defer conn.Close(ctx)
	// ALTER DATABASE takes no parameters; the names are quoted as identifiers.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{initialDatabase}.Sanitize()+" RENAME TO "+pgx.Identifier{c.database}.Sanitize()); err != nil {
		return fmt.Errorf("pgtemp: name the database %s: %w", c.database, err)
	}
	return nil
}

func (c *Cluster) adminURL() string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", superuser, c.port)
}

// URL is the connection string of the cluster's database.
func (c *Cluster) URL() string { return DatabaseURL(c.port, c.database) }

// DatabaseURL is the connection string of database on a cluster that
// Start started (or is starting) with Options.Port port: what a caller
// hands out before the server is up.
func DatabaseURL(port int, database string) string {
	if database == "" {
		database = "coolroom"
	}
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, port, database)
}

// Timings says how long each part of Start took.
func (c *Cluster) Timings() Timings { return c.timings }

// Port is the TCP port the server listens on (127.0.0.1).
func (c *Cluster) Port() int { return c.port }

// Dir is the temporary directory holding the cluster.
func (c *Cluster) Dir() string { return c.dir }

// FromSpare reports whether the data dir was the spare copy an earlier
// cluster's PrepareSpare left, taken with one rename.
func (c *Cluster) FromSpare() bool { return c.fromSpare }

// PrepareSpare copies the cached template into the cache as a spare data
// dir that the next Start takes with one rename instead of copying the
// template then (about a thousand files: on a small VM a second of system
// time, most of a warm `coolroom up`). Call it once the cluster's user no
// longer waits on the machine (up calls it after its first page); it does
// nothing without a template or when a spare is there already.
func (c *Cluster) PrepareSpare() error {
	if c.tmpl == "" || !dirExists(c.tmpl) {
		return nil
	}
	return makeSpare(c.tmpl, c.owner)
}

// FromTemplate reports whether the data dir was copied from the cached
// template instead of being made by initdb.
func (c *Cluster) FromTemplate() bool { return c.fromTemplate }

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

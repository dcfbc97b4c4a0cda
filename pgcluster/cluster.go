package pgcluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cluster is a private PostgreSQL server kept in a directory.
type Cluster struct {
	Dir  string // base directory (./.tipline/postgres for dev)
	Port int
	bin  string
	cred *syscall.Credential
	home string
	pass string
	step Progress
}

// Progress reports a slow step (initdb, server start) as it begins; the
// function it returns is called when the step ends.
type Progress func(step string) (done func())

func (c *Cluster) begin(step string) func() {
	if c.step == nil {
		return func() {}
	}
	return c.step(step)
}

func (c *Cluster) dataDir() string { return filepath.Join(c.Dir, "data") }
func (c *Cluster) sockDir() string { return filepath.Join(c.Dir, "sock") }
func (c *Cluster) logFile() string { return filepath.Join(c.Dir, "server.log") }

// Start initialises the cluster in dir on first use, then starts it (or
// reuses a server a previous run left running) and returns it.
func Start(ctx context.Context, dir string) (*Cluster, error) {
	return StartProgress(ctx, dir, nil)
}

// StartProgress is Start reporting its slow steps to progress (may be nil).
func StartProgress(ctx context.Context, dir string, progress Progress) (*Cluster, error) {
	bin, err := Binaries()
	if err != nil {
		return nil, err
	}
	cred, home, err := runAs()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, bin: bin, cred: cred, home: home, step: progress}
	if err := c.prepare(); err != nil {
		return nil, err
	}
	if c.running() {
		if err := c.readPort(); err == nil {
			return c, c.waitReady(ctx)
		}
		_ = c.Stop()
	}
	if err := c.pickPort(); err != nil {
		return nil, err
	}
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// prepare creates the directories, the password and the data directory.
func (c *Cluster) prepare() error {
	if err := os.MkdirAll(c.sockDir(), 0o700); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := os.Chmod(c.Dir, 0o711); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if err := ensureTraversable(c.Dir, c.cred); err != nil {
		return err
	}
	if err := c.loadPassword(); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.dataDir(), "PG_VERSION")); err == nil {
		return chownTree(c.sockDir(), c.cred)
	}
	return c.initdb()
}

func (c *Cluster) loadPassword() error {
	p := filepath.Join(c.Dir, "password")
	if b, err := os.ReadFile(p); err == nil {
		c.pass = strings.TrimSpace(string(b))
		return nil
	}
	buf := make([]byte, 18)
	if _, err := rand.Read(buf); err != nil {
		return err
	}
	c.pass = hex.EncodeToString(buf)
	return os.WriteFile(p, []byte(c.pass+"\n"), 0o600)
}

func (c *Cluster) initdb() error {
	_ = os.RemoveAll(c.dataDir())
	if err := os.MkdirAll(c.dataDir(), 0o700); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	pwfile := filepath.Join(c.Dir, "initdb.pw")
	if err := os.WriteFile(pwfile, []byte(c.pass+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if err := chownTree(c.Dir, c.cred); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	if c.cred != nil {
		_ = os.Chown(filepath.Join(c.Dir, "password"), 0, 0)
	}
	defer c.begin("initialising the private PostgreSQL in " + c.Dir + " (first run only)")()
	cmd := command(filepath.Join(c.bin, "initdb"), c.cred, c.home, "-D", c.dataDir(), "-U", "postgres",
		"--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile="+pwfile, "-E", "UTF8", "--locale=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgcluster: initdb failed: %w\n%s", err, trimOutput(out))
	}
	return nil
}

func (c *Cluster) running() bool {
	cmd := command(filepath.Join(c.bin, "pg_ctl"), c.cred, c.home, "status", "-D", c.dataDir())
	return cmd.Run() == nil
}

func (c *Cluster) readPort() error {
	b, err := os.ReadFile(filepath.Join(c.dataDir(), "postmaster.pid"))
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 4 {
		return errors.New("pgcluster: short postmaster.pid")
	}
	c.Port, err = strconv.Atoi(strings.TrimSpace(lines[3]))
	return err
}

// pickPort takes a free loopback port, never 5432.
func (c *Cluster) pickPort() error {
	for i := 0; i < 20; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("pgcluster: find a free port: %w", err)
		}
		c.Port = l.Addr().(*net.TCPAddr).Port
		l.Close()
		if c.Port != 5432 {
			return nil
		}
	}
	return errors.New("pgcluster: no free port")
}

func (c *Cluster) start(ctx context.Context) error {
	defer c.begin(fmt.Sprintf("starting PostgreSQL on 127.0.0.1:%d", c.Port))()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200 -c fsync=on", c.Port, c.sockDir())
	cmd := command(filepath.Join(c.bin, "pg_ctl"), c.cred, c.home, "start", "-w", "-t", "60",
		"-D", c.dataDir(), "-l", c.logFile(), "-o", opts)
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(c.logFile())
		return fmt.Errorf("pgcluster: start failed: %w\n%s\n%s", err, trimOutput(out), trimOutput(log))
	}
	return c.waitReady(ctx)
}

func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", c.Port), time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgcluster: server not reachable on port %d: %w", c.Port, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// URL is a connection URL for database db on this cluster.
func (c *Cluster) URL(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword("postgres", c.pass),
		Host: fmt.Sprintf("127.0.0.1:%d", c.Port), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// SocketURL is a connection URL for database db over the cluster's Unix
// socket: what a client on the same machine uses. Each round trip costs
// less CPU than over loopback TCP (no TCP/IP stack on either side).
func (c *Cluster) SocketURL(db string) string {
	q := url.Values{"host": {c.sockDir()}, "port": {strconv.Itoa(c.Port)}, "sslmode": {"disable"}}
	u := url.URL{Scheme: "postgres", User: url.UserPassword("postgres", c.pass), Path: "/" + db, RawQuery: q.Encode()}
	return u.String()
}

// Stop shuts the server down cleanly (fast mode: sessions are ended).
func (c *Cluster) Stop() error {
	cmd := command(filepath.Join(c.bin, "pg_ctl"), c.cred, c.home, "stop", "-w", "-m", "fast", "-D", c.dataDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pgcluster: stop: %w: %s", err, trimOutput(out))
	}
	return nil
}

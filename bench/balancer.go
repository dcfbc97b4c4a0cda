package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ErrNoBalancer says that neither HAProxy nor nginx is installed.
var ErrNoBalancer = errors.New("bench: --instances needs a load balancer: install Debian's haproxy " +
	"(apt-get install -y haproxy) or nginx (apt-get install -y nginx)")

// Balancer is HAProxy or nginx, from the machine's packages, in front of
// the instances: a child process on a loopback port with a config of our
// own in a temporary directory.
type Balancer struct {
	Kind    string // haproxy or nginx
	Version string // what the binary says of itself
	Config  string // the exact configuration it runs with
	Addr    string // 127.0.0.1:port
	Log     *tailBuffer

	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// findBalancer returns the kind and path of the balancer to use: HAProxy
// first, then nginx.
func findBalancer(want string) (kind, path string, err error) {
	kinds := []string{"haproxy", "nginx"}
	if want != "" {
		kinds = []string{want}
	}
	for _, k := range kinds {
		if p, err := exec.LookPath(k); err == nil {
			return k, p, nil
		}
		if p := "/usr/sbin/" + k; fileExists(p) {
			return k, p, nil
		}
	}
	if want != "" {
		return "", "", fmt.Errorf("bench: --balancer %s is not installed: apt-get install -y %s", want, want)
	}
	return "", "", ErrNoBalancer
}

// HaveBalancer reports whether HAProxy or nginx is installed.
func HaveBalancer() bool {
	_, _, err := findBalancer("")
	return err == nil
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// StartBalancer writes the config for backends (host:port) and starts the
// balancer on addr, waiting until /readyz answers through it. want is
// haproxy, nginx or "" (the first of them installed).
func StartBalancer(ctx context.Context, want, addr string, backends []string) (*Balancer, error) {
	kind, path, err := findBalancer(want)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "tipline-bench-lb-")
	if err != nil {
		return nil, err
	}
	b := &Balancer{Kind: kind, Addr: addr, Log: &tailBuffer{max: 16 << 10}, dir: dir}
	b.Version = balancerVersion(path, kind)
	cfg := filepath.Join(dir, kind+".cfg")
	var args []string
	if kind == "haproxy" {
		b.Config = haproxyConfig(addr, backends)
		args = []string{"-db", "-f", cfg}
	} else {
		b.Config = nginxConfig(addr, backends, dir)
		args = []string{"-p", dir, "-e", "stderr", "-c", cfg}
	}
	if err := os.WriteFile(cfg, []byte(b.Config), 0o600); err != nil {
		b.Close()
		return nil, err
	}
	if err := b.start(ctx, path, args); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

func (b *Balancer) start(ctx context.Context, path string, args []string) error {
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = b.Log, b.Log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bench: start %s: %w", b.Kind, err)
	}
	b.cmd, b.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(b.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for !ready(ctx, b.URL()) {
		select {
		case <-b.done:
			return fmt.Errorf("bench: %s exited while starting:\n%s", b.Kind, b.Log.String())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: %s did not pass /readyz through in 30 s:\n%s", b.Kind, b.Log.String())
		}
	}
	return nil
}

// URL is the balancer's base URL.
func (b *Balancer) URL() string { return "http://" + b.Addr }

// PID is the balancer's main process (nginx: the master; its workers are
// its children).
func (b *Balancer) PID() int {
	if b == nil || b.cmd == nil || b.cmd.Process == nil {
		return 0
	}
	return b.cmd.Process.Pid
}

// Close stops the balancer and removes its directory.
func (b *Balancer) Close() {
	if b == nil {
		return
	}
	if b.cmd != nil && b.cmd.Process != nil {
		_ = b.cmd.Process.Signal(syscall.SIGTERM) // both stop at once on TERM
		select {
		case <-b.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
			<-b.done
		}
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
}

func balancerVersion(path, kind string) string {
	flag := "-v"
	out, _ := exec.Command(path, flag).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if kind == "nginx" {
		line = strings.TrimPrefix(line, "nginx version: ")
	}
	return line
}

// haproxyConfig round-robins HTTP over keep-alive connections to the
// instances, each health-checked on /readyz.
func haproxyConfig(addr string, backends []string) string {
	var s strings.Builder
	s.WriteString(`global
    maxconn 4096
    nbthread 2

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option http-keep-alive
    http-reuse safe

frontend webhooks
    bind ` + addr + `
    default_backend tipline

backend tipline
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
`)
	for i, be := range backends {
		fmt.Fprintf(&s, "    server serve%d %s check inter 1s\n", i+1, be)
	}
	return s.String()
}

// nginxConfig is the same for nginx: round robin, keep-alive upstream
// connections, a failing instance skipped (passive checks only).
func nginxConfig(addr string, backends []string, dir string) string {
	var s strings.Builder
	fmt.Fprintf(&s, `daemon off;
master_process on;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log stderr warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    upstream tipline {
`, dir)
	for _, be := range backends {
		fmt.Fprintf(&s, "        server %s max_fails=3 fail_timeout=2s;\n", be)
	}
	fmt.Fprintf(&s, `        keepalive 64;
    }
    server {
        listen %s;
        location / {
            proxy_pass http://tipline;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_next_upstream error timeout;
        }
    }
}
`, addr)
	return s.String()
}
